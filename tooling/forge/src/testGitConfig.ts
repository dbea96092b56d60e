import { rm } from 'node:fs/promises';
import type { Forge } from './Forge.js';
import { runGit } from './runGit.js';

export interface TestGitConfig {
  file: string;
  /** Environment for git commands that should see the config (and nothing of the user's or system's). */
  env: Readonly<Record<string, string>>;
}

/** The remote spellings of one host (or of one repository under it) a test may use. */
function remoteForms(host: string, path = ''): string[] {
  return [`https://${host}/${path}`, `git@${host}:${path}`, `ssh://git@${host}/${path}`];
}

/**
 * Writes a git config file for tests (use it as `GIT_CONFIG_GLOBAL`) that routes realistic remotes
 * (`https://github.com/acme/demo.git`, `git@gitlab.com:group/demo.git`, …) to the forge with
 * `url.<base>.insteadOf`, so `remote.origin.url` still shows the real-looking URL. Repositories
 * with a token get a longer (hence preferred) rule carrying it. Call it after creating them.
 */
export async function writeTestGitConfig(forge: Forge, file: string): Promise<TestGitConfig> {
  await rm(file, { force: true });
  const set = (...args: string[]) => runGit(['config', '--file', file, ...args]);
  await set('user.name', 'Forge Test');
  await set('user.email', 'forge-test@example.invalid');
  await set('init.defaultBranch', 'main');
  await set('commit.gpgSign', 'false');
  await set('credential.helper', '');
  const hosts = new Set(['github.com', 'gitlab.com', ...forge.repositories().map((r) => r.host)]);
  for (const host of hosts) {
    for (const form of remoteForms(host)) await set('--add', `url.${forge.url}/${host}/.insteadOf`, form);
  }
  for (const repo of forge.repositories().filter((r) => r.token !== undefined)) {
    const base = forge.gitUrl(repo, repo.token).replace(/\.git$/, '');
    for (const form of remoteForms(repo.host, repo.path)) await set('--add', `url.${base}.insteadOf`, form);
  }
  return { file, env: { GIT_CONFIG_GLOBAL: file, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' } };
}
