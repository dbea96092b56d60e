import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stowage } from './runInProcess.js';

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hint?: string;
  stack?: string;
}

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-doctor-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  return dir;
}

// Nothing listens here: the failures below come from real sockets, with no engine or registry needed.
const NO_ENGINE = 'unix:///tmp/stowage-doctor-no-engine.sock';
const CLOSED_REGISTRY = '127.0.0.1:1';

const YAML = `
pipeline: { name: training }
stacks:
  offline:
    image_builder: { flavor: local, docker_host: "${NO_ENGINE}", buildkit: true }
    container_registry: { flavor: oci, uri: ${CLOSED_REGISTRY}, username: bot, password: "\${REG_PASSWORD}", timeout_seconds: 5 }
`;
const ENV = { ...process.env, REG_PASSWORD: 'doctor-secret-pw-9' };

async function doctorJson(dir: string, args: string[] = [], env = ENV): Promise<{ code: number; ok: boolean; checks: Check[]; stderr: string }> {
  const r = await stowage(dir, ['doctor', '--json', ...args], env);
  const out = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  return { code: r.code, stderr: r.stderr, ...out };
}

const find = (checks: Check[], check: string) => checks.filter((c) => c.check === check);

describe('stowage doctor', () => {
  it('an engine that does not answer and a registry that cannot be reached are failures with a fix (exit 1)', async () => {
    const r = await doctorJson(project(YAML));
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
    expect(find(r.checks, 'engine')).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining(`no Docker engine answers at ${NO_ENGINE} (docker_host): no such socket`), hint: expect.stringContaining('start a Docker engine') }),
    ]);
    // No engine, so BuildKit cannot be asked: no line claims it either way.
    expect(find(r.checks, 'buildkit')).toEqual([]);
    expect(find(r.checks, 'registry')).toEqual([expect.objectContaining({ status: 'fail', stack: 'offline', message: expect.stringContaining(`could not reach http://${CLOSED_REGISTRY}`) })]);
    expect(find(r.checks, 'config')[0]).toMatchObject({ status: 'ok' });
    expect(find(r.checks, 'plugins')[0]!.message).toContain('@stowage/image-builder-local@');
    expect(find(r.checks, 'disk')[0]!.message).toMatch(/GiB free at .*\.stowage$/);
  });

  it('prints one ✓/!/✗ line per check with fix hints, and a count of problems; secrets stay out', async () => {
    const r = await stowage(project(YAML), ['doctor'], ENV);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✓ config {4}.*stowage\.yaml \(pipeline training\)$/m);
    expect(r.stdout).toMatch(/^✗ engine {4}no Docker engine answers/m);
    expect(r.stdout).toMatch(/^ {12}fix: start a Docker engine/m);
    expect(r.stdout).toMatch(/^✗ registry {2}offline: /m);
    expect(r.stdout).toMatch(/\n2 problems found\.\n$/);
    expect(r.stdout + r.stderr).not.toContain('doctor-secret-pw-9');
  });

  it('--stack checks only that stack; an unknown one is bad input (exit 2)', async () => {
    const dir = project(`${YAML}  local: { image_builder: { flavor: local, docker_host: "${NO_ENGINE}" } }\n`);
    const r = await doctorJson(dir, ['--stack', 'local']);
    expect(find(r.checks, 'registry')).toEqual([expect.objectContaining({ status: 'ok', stack: 'local', message: expect.stringContaining('no container registry') })]);
    const unknown = await stowage(dir, ['doctor', '--stack', 'nope'], ENV);
    expect([unknown.code, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toMatch(/^error: .*no stack named "nope"/);
  });

  it('a config that does not load is a failure line; the machine is still checked', async () => {
    const r = await doctorJson(project('pipline: { name: x }\n'));
    expect(r.code).toBe(1);
    expect(r.checks.map((c) => [c.check, c.status])).toEqual([
      ['config', 'fail'],
      ['python3', expect.any(String)],
      ['disk', expect.any(String)],
    ]);
    expect(r.checks[0]!.message).toContain('unknown key "pipline"');
  });

  it('a plugin that cannot be resolved is a plugins failure with the install command', async () => {
    const r = await doctorJson(project('pipeline: { name: x }\nplugins: ["@acme/stowage-plugin-missing"]\n'));
    expect(r.code).toBe(1);
    expect(r.checks[0]).toMatchObject({ check: 'plugins', status: 'fail', message: expect.stringContaining('@acme/stowage-plugin-missing') });
  });

  it('python3 that cannot run is a warning, and a failure when a step exports the local environment', async () => {
    const env = { ...ENV, STOWAGE_PYTHON: '/nonexistent/python3' };
    const remote = 'stacks: { default: { image_builder: { flavor: local, docker_host: "' + NO_ENGINE + '" } } }\n';
    const plain = await doctorJson(project(`pipeline: { name: x }\n${remote}`), [], env);
    expect(find(plain.checks, 'python3')).toEqual([expect.objectContaining({ status: 'warn', message: expect.stringContaining('cannot run /nonexistent/python3 (from STOWAGE_PYTHON)') })]);
    const exporting = await doctorJson(project(`pipeline: { name: x }\nsteps: { train: { settings: { docker: { replicate_local_python_environment: true } } } }\n${remote}`), [], env);
    expect(find(exporting.checks, 'python3')).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining('steps.train.settings.docker.replicate_local_python_environment needs') }),
    ]);
  });

  it('unknown options are bad input (exit 2)', async () => {
    const r = await stowage(project(YAML), ['doctor', '--fix'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--fix'");
  });
});
