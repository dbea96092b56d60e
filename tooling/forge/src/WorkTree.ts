import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit } from './runGit.js';
import type { TestGitConfig } from './testGitConfig.js';

/** A working folder for tests: write files, commit, push to the forge with real git. */
export class WorkTree {
  private constructor(
    readonly dir: string,
    private readonly config: TestGitConfig,
  ) {}

  /** `git init` in `dir` (created), with `origin` set to `remote` when given (a realistic URL routed by the config). */
  static async init(dir: string, config: TestGitConfig, remote?: string): Promise<WorkTree> {
    await mkdir(dir, { recursive: true });
    const tree = new WorkTree(dir, config);
    await tree.git('init', '--quiet');
    if (remote) await tree.git('remote', 'add', 'origin', remote);
    return tree;
  }

  git(...args: string[]): Promise<string> {
    return runGit(args, { cwd: this.dir, env: this.config.env });
  }

  async write(files: Readonly<Record<string, string>>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true });
      await writeFile(join(this.dir, path), text);
    }
  }

  /** Writes `files`, commits everything, and returns the new commit's sha. */
  async commit(message: string, files: Readonly<Record<string, string>> = {}): Promise<string> {
    await this.write(files);
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return (await this.git('rev-parse', 'HEAD')).trim();
  }

  /** `git push <remote> <refspec>` (default: HEAD to `main` on origin). */
  async push(refspec = 'HEAD:refs/heads/main', remote = 'origin'): Promise<void> {
    await this.git('push', '--quiet', remote, refspec);
  }
}
