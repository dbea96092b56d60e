import { parseGitRemote, type ProcessRunner } from '@stowage/plugin-api';
import type { Provenance } from '../model/plan.js';

/**
 * What the images' OCI labels say of their origin: the checkout's commit, its repository's URL
 * (credentials never kept: only host and path) and a reproducible creation time — from
 * `SOURCE_DATE_EPOCH`, else the commit's time, never the wall clock (a label that changed on
 * every build would make each build a different image).
 */
export async function gatherProvenance(sourceRoot: string, runner: ProcessRunner, env: Readonly<Record<string, string | undefined>>, version: string): Promise<Provenance> {
  const git = async (...args: string[]): Promise<string | undefined> => {
    try {
      return (await runner.run({ command: ['git', '-C', sourceRoot, ...args], env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } })).stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const revision = await git('rev-parse', '--verify', 'HEAD^{commit}');
  const commitTime = revision ? await git('show', '-s', '--format=%ct', revision) : undefined;
  const created = epochToIso(env.SOURCE_DATE_EPOCH) ?? epochToIso(commitTime);
  const source = revision ? webUrlOf(await remoteUrl(git)) : undefined;
  return { version, ...(revision && { revision }), ...(source && { source }), ...(created && { created }) };
}

/** `origin`'s URL, else the first remote's. */
async function remoteUrl(git: (...args: string[]) => Promise<string | undefined>): Promise<string | undefined> {
  const origin = await git('config', '--get', 'remote.origin.url');
  if (origin) return origin;
  const all = await git('config', '--get-regexp', '^remote\\..*\\.url$');
  return all?.split('\n')[0]?.split(/\s+/)[1];
}

/** `https://host[:port]/owner/repo` of a remote (ssh forms included); never its user or token. */
export function webUrlOf(url: string | undefined): string | undefined {
  const remote = url ? parseGitRemote(url) : undefined;
  if (!remote) return undefined;
  const scheme = remote.transport === 'http' ? 'http' : 'https';
  const port = remote.transport.startsWith('http') && remote.port ? `:${remote.port}` : '';
  return `${scheme}://${remote.hostname}${port}/${remote.path}`;
}

function epochToIso(value: string | undefined): string | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return new Date(Number(value.trim()) * 1000).toISOString().replace('.000Z', 'Z');
}
