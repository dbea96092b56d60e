import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fail, type DoctorCheck } from './DoctorCheck.js';

const GiB = 1024 ** 3;
/** Below this a build record or code archive may not fit: a failure. */
const FAIL_BELOW = 0.5 * GiB;
/** Below this, say so (archives of large sources, the local artifact store). */
const WARN_BELOW = 2 * GiB;

/** Free space and write access where Stowage keeps its state (the folder itself, or where it will be made). */
export async function checkDisk(stateDir: string): Promise<DoctorCheck> {
  const existing = await nearestExisting(stateDir);
  const hint = `free space on the file system of ${existing} (e.g. \`stowage builds prune --keep 10\`, \`docker system prune\`)`;
  try {
    await access(existing, constants.W_OK);
  } catch {
    return fail('disk', `${existing} is not writable: Stowage keeps build records and its local artifact store in ${stateDir}`, 'run as a user who may write there, or move the project');
  }
  const fs = await statfs(existing);
  const free = fs.bavail * fs.bsize;
  const text = `${(free / GiB).toFixed(1)} GiB free at ${stateDir}`;
  if (free < FAIL_BELOW) return fail('disk', `only ${text}`, hint);
  if (free < WARN_BELOW) return { check: 'disk', status: 'warn', message: `only ${text}`, hint };
  return { check: 'disk', status: 'ok', message: text };
}

async function nearestExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    if (await access(p).then(() => true, () => false)) return p;
    if (dirname(p) === p) return p;
  }
}
