import type { ComposedStack } from '@stowage/core';
import { resolveEngineAddress, type EngineAddress } from '@stowage/image-builder-local';
import { fail, type DoctorCheck } from './DoctorCheck.js';

/** One Docker engine some stacks build on, and whether one of them builds with BuildKit. */
export interface EngineUse {
  engine: EngineAddress;
  stacks: string[];
  buildkit: boolean;
}

/** The engines of the stacks whose image builder is the local Docker one (remote builders need none). */
export function enginesOf(stacks: readonly ComposedStack[], env: Readonly<Record<string, string | undefined>>): EngineUse[] {
  const uses = new Map<string, EngineUse>();
  for (const stack of stacks) {
    const builder = stack.components.find((c) => c.kind === 'image-builder');
    if (builder?.plugin !== '@stowage/image-builder-local') continue;
    const config = builder.config as { docker_host?: string; buildkit?: boolean };
    const engine = resolveEngineAddress(config.docker_host, env);
    const use = uses.get(engine.address) ?? { engine, stacks: [], buildkit: false };
    use.stacks.push(stack.name);
    use.buildkit ||= config.buildkit === true;
    uses.set(engine.address, use);
  }
  return [...uses.values()];
}

interface EngineVersion {
  Version?: string;
  ApiVersion?: string;
  Os?: string;
  Arch?: string;
}

/** BuildKit over the Engine API needs API 1.39 (Docker 18.09) on a Linux engine. */
const BUILDKIT_MIN_API = [1, 39] as const;

/** Asks the engine its version (`GET /version`), then whether it can build with BuildKit. */
export async function checkEngine(use: EngineUse, timeoutMs = 5000): Promise<DoctorCheck[]> {
  const used = `used by stack${use.stacks.length > 1 ? 's' : ''} ${use.stacks.join(', ')}`;
  let version: EngineVersion;
  try {
    // dockerode loads only here: every other command that does not build stays without it.
    const { default: Docker } = await import('dockerode');
    version = (await new Docker({ ...use.engine.options, timeout: timeoutMs }).version()) as EngineVersion;
  } catch (error) {
    return [unreachable(use, error, used)];
  }
  const where = `${version.Os ?? '?'}/${version.Arch ?? '?'}`;
  const engine: DoctorCheck = { check: 'engine', status: 'ok', message: `Docker ${version.Version ?? '?'} (API ${version.ApiVersion ?? '?'}, ${where}) at ${use.engine.address}, ${used}` };
  return [engine, buildkitCheck(use, version)];
}

function buildkitCheck(use: EngineUse, version: EngineVersion): DoctorCheck {
  const api = (version.ApiVersion ?? '0.0').split('.').map(Number);
  const recent = (api[0] ?? 0) > BUILDKIT_MIN_API[0] || ((api[0] ?? 0) === BUILDKIT_MIN_API[0] && (api[1] ?? 0) >= BUILDKIT_MIN_API[1]);
  if (recent && version.Os === 'linux') {
    return { check: 'buildkit', status: 'ok', message: `available on ${use.engine.address}${use.buildkit ? ' (a stack builds with buildkit: true)' : ''}` };
  }
  const why = version.Os !== 'linux' ? `the engine runs on ${version.Os ?? 'an unknown OS'}` : `engine API ${version.ApiVersion} is older than 1.39`;
  const hint = 'use a Linux Docker engine 18.09 or newer, or set the image builder\'s buildkit: false (no RUN --mount=type=cache)';
  if (use.buildkit) return fail('buildkit', `not available on ${use.engine.address}: ${why}`, hint);
  return { check: 'buildkit', status: 'warn', message: `not available on ${use.engine.address} (${why}); the stacks here build without it`, hint };
}

function unreachable(use: EngineUse, error: unknown, used: string): DoctorCheck {
  const code = (error as { code?: unknown } | null)?.code;
  const from = use.engine.source === 'default' ? 'the default socket' : use.engine.source === 'config' ? 'docker_host' : 'DOCKER_HOST';
  const why = code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such socket' : typeof code === 'string' ? code : (error as Error).message;
  const hint =
    code === 'EACCES'
      ? 'add this user to the docker group (then log in again), or set DOCKER_HOST to an engine you may use'
      : 'start a Docker engine (`sudo systemctl start docker`), or set DOCKER_HOST / the image builder\'s docker_host to a running one';
  return fail('engine', `no Docker engine answers at ${use.engine.address} (${from}): ${why}; ${used}`, hint);
}
