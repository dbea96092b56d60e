import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { describe } from 'vitest';
import { resolveEngineAddress } from '../resolveEngineAddress.js';

/**
 * Gates for the tests that need real services. Outside CI a missing service skips its tests with
 * a loud warning; in CI (`CI` set) the harness guarantees the engine, the base image and the
 * registries, so a missing one fails the run instead of silently passing.
 */
export const IN_CI = Boolean(process.env['CI']);

/** A base image with a shell, for RUN steps (tooling/e2e/scripts/base-image.sh makes it). */
export const SHELL_BASE_IMAGE = 'python:3.11-slim';

const REGISTRY_SCRIPT = new URL('../../../../tooling/e2e/scripts/registry.sh', import.meta.url);

export function engineDocker(): Docker {
  return new Docker(resolveEngineAddress(undefined, process.env).options);
}

async function engineAnswers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

function loudly(message: string): void {
  const bar = '!'.repeat(Math.min(100, message.length + 8));
  console.warn(`\n${bar}\n!!! ${message}\n${bar}\n`);
}

/** `describe` when a Docker engine answers; `describe.skip` with a warning otherwise; a failure in CI. */
export async function describeWithEngine(name: string, body: () => void): Promise<void> {
  if (await engineAnswers(engineDocker())) return void describe(name, body);
  const why = `no Docker engine answers at ${resolveEngineAddress(undefined, process.env).address}`;
  if (IN_CI) throw new Error(`${why}, but CI is set: the e2e harness (tooling/e2e/scripts/engine.sh up) must provide one`);
  loudly(`SKIPPING "${name}": ${why} (start one with tooling/e2e/scripts/engine.sh up)`);
  describe.skip(name, body);
}

/** Whether RUN-based cases can run; warns (or, in CI, throws) when the shell base image is missing. */
export async function shellBaseImageAvailable(docker: Docker): Promise<boolean> {
  try {
    await docker.getImage(SHELL_BASE_IMAGE).inspect();
    return true;
  } catch {
    const why = `base image ${SHELL_BASE_IMAGE} is not present locally`;
    if (IN_CI) throw new Error(`${why}, but CI is set: tooling/e2e/scripts/base-image.sh must provide it`);
    loudly(`SKIPPING the RUN-step tests: ${why} (tooling/e2e/scripts/base-image.sh makes it)`);
    return false;
  }
}

async function registryStatus(hostPort: string): Promise<number> {
  try {
    const response = await fetch(`http://${hostPort}/v2/`, { signal: AbortSignal.timeout(3000) });
    return response.status;
  } catch {
    return 0;
  }
}

async function poll(hostPort: string, want: number, seconds: number): Promise<boolean> {
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    if ((await registryStatus(hostPort)) === want) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/**
 * Waits for the loopback registries (`127.0.0.1:5000` anonymous → 200, `:5001` basic auth → 401),
 * starting them with the harness script when they stay down.
 */
export async function loopbackRegistriesAvailable(): Promise<boolean> {
  const up = async (seconds: number) => (await poll('127.0.0.1:5000', 200, seconds)) && (await poll('127.0.0.1:5001', 401, seconds));
  if (await up(15)) return true;
  if (existsSync(REGISTRY_SCRIPT)) {
    await promisify(execFile)('bash', [REGISTRY_SCRIPT.pathname, 'up'], { timeout: 120_000 }).catch((error: unknown) => {
      console.warn(`registry.sh up failed: ${(error as Error).message}`);
    });
    if (await up(15)) return true;
  }
  const why = 'the loopback registries 127.0.0.1:5000 / :5001 do not answer';
  if (IN_CI) throw new Error(`${why}, but CI is set: tooling/e2e/scripts/registry.sh up must start them`);
  loudly(`SKIPPING the push tests: ${why} (tooling/e2e/scripts/registry.sh up starts them)`);
  return false;
}
