import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Who holds a lock: enough to tell, on this machine, whether that process is still running. */
export interface LockHolder {
  pid: number;
  /** The process's start time (`/proc/<pid>/stat` field 22), so a reused pid is not taken for the holder; null off Linux. */
  started: string | null;
  host: string;
  /** Unique per acquisition: a release never removes another process's lock. */
  token: string;
  created: string;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** How often a waiter looks again (default 250 ms). */
  pollMs?: number;
  /** Called once when the lock is held by another running process, before waiting. */
  onWait?(holder: LockHolder): void;
}

export interface HeldLock {
  /** Whether another process held it first (its result may now be there to reuse). */
  waited: boolean;
  release(): Promise<void>;
}

/**
 * Takes the lock file `file`, waiting while another running process holds it. The lock is
 * created whole with `link()` (fails if it exists, so exactly one process gets it, and a reader
 * never sees it half-written) and holds the holder's pid and start time. A lock whose holder is
 * gone (killed, crashed, pid reused) is stale and taken over — no timeout guesses, so a build
 * that takes an hour keeps its lock and a `kill -9`ed one frees it at once.
 */
export async function acquireLock(file: string, o: LockOptions = {}): Promise<HeldLock> {
  const dir = file.slice(0, file.lastIndexOf('/'));
  await mkdir(dir, { recursive: true });
  const me: LockHolder = { pid: process.pid, started: processStart(process.pid), host: hostname(), token: randomUUID(), created: new Date().toISOString() };
  let waited = false;
  for (;;) {
    o.signal?.throwIfAborted();
    if (await tryCreate(file, me)) return { waited, release: () => release(file, me.token) };
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' || !isRunning(holder)) {
      await breakStale(file, holder);
      continue;
    }
    if (!waited) o.onWait?.(holder);
    waited = true;
    await sleep(o.pollMs ?? 250, undefined, { signal: o.signal });
  }
}

async function tryCreate(file: string, me: LockHolder): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(me)}\n`, { flag: 'wx' });
  try {
    await link(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && typeof holder.token === 'string' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Whether the holder still runs. On another host it cannot be told, so it is assumed to. */
export function isRunning(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = processStart(holder.pid);
  return holder.started === null || started === null || started === holder.started;
}

/**
 * Removes a stale lock without removing a fresh one another waiter took meanwhile: the lock is
 * moved aside first, and put back if what was moved is not the stale holder's.
 */
async function breakStale(file: string, stale: LockHolder | 'unreadable'): Promise<void> {
  const aside = `${file}.${process.pid}.${randomUUID()}.stale`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  const same = stale === 'unreadable' ? moved === 'unreadable' : typeof moved === 'object' && moved.token === stale.token;
  if (!same) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function release(file: string, token: string): Promise<void> {
  const holder = await readHolder(file).catch(() => 'unreadable' as const);
  if (typeof holder === 'object' && holder.token === token) await unlink(file).catch(() => undefined);
}

/** The start time of a process in clock ticks since boot (Linux), or null where it cannot be read. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3] ?? null;
  } catch {
    return null;
  }
}
