import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestStack } from '../src/index.js';

const URL = 'https://git.example.com/acme/pipelines.git';
const CONFIG = {
  pipeline: { name: 'p', python_version: '3.11' },
  steps: { train: { command: ['python', '-m', 'train'] } },
  settings: { docker: { requirements: ['pandas'] } },
  active_stack: 'repo',
  stacks: { repo: { image_builder: { flavor: 'fake' } } },
  code_repositories: [{ name: 'main', flavor: 'fake', url: URL }],
};

/** Makes the project folder a real git checkout with one commit and the repository's remote. */
function commitAll(root: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { env, encoding: 'utf8' }).trim();
  git('init', '-q');
  writeFileSync(join(root, '.gitignore'), '.stowage/\n');
  git('add', '.');
  git('commit', '-q', '-m', 'code');
  git('remote', 'add', 'origin', URL);
  return git('rev-parse', 'HEAD');
}

describe('code from a code repository (core inspects the checkout with real git; the plugin says what is pushed)', () => {
  it('a clean checkout whose commit is pushed: images download the code, the build records the commit', async () => {
    const t = await createTestStack({ config: CONFIG, files: { 'train.py': 'print(1)\n' } });
    const commit = commitAll(t.root);
    t.fakes.codeRepository.pushedCommits.add(commit);
    const { plan, result } = await t.build();
    expect(plan.images.map((i) => [i.code.strategy, i.code.reason])).toEqual([['code-repository', `download commit ${commit.slice(0, 12)} from the code repository main`]]);
    expect(plan.codeCommit).toBe(commit);
    expect(result.build.codeReference).toEqual({ commit, repository: 'main' });
    // The launch spec: the bootstrap in the image downloads this commit's archive when the step starts.
    const image = result.build.images[0]!;
    expect(result.build.launch).toEqual({
      train: {
        image: image.imageReference,
        command: ['python3', '/usr/local/lib/stowage/stowage_bootstrap.py', 'python', '-m', 'train'],
        environment: { STOWAGE_CODE_URL: `${URL}/archive/${commit}.tar.gz`, STOWAGE_CODE_FORMAT: 'tar.gz', STOWAGE_CODE_STRIP: '1' },
        secretEnvironment: [],
        code: { source: 'code-repository', repository: 'main', commit, url: `${URL}/archive/${commit}.tar.gz`, format: 'tar.gz', strip: 1 },
      },
    });
    const dockerfile = t.fakes.imageBuilder.builds[0]!.dockerfile;
    expect(dockerfile).toContain('COPY .stowage_bootstrap.py /usr/local/lib/stowage/stowage_bootstrap.py');
    expect(t.fakes.imageBuilder.builds[0]!.files.map((f) => f.name)).toContain('.stowage_bootstrap.py');
    expect(t.fakes.imageBuilder.builds[0]!.files.map((f) => f.name)).not.toContain('train.py');
  });

  it('an unpushed commit or a dirty checkout falls back to including the code, and says why', async () => {
    const t = await createTestStack({ config: CONFIG, files: { 'train.py': 'print(1)\n' } });
    commitAll(t.root);
    const unpushed = await t.plan();
    expect(unpushed.images[0]!.code).toMatchObject({ strategy: 'include', reason: expect.stringMatching(/is not pushed to the code repository/) });
    writeFileSync(join(t.root, 'train.py'), 'print(2)\n');
    const dirty = await t.plan();
    expect(dirty.images[0]!.code).toMatchObject({ strategy: 'include', reason: expect.stringMatching(/uncommitted or untracked files/) });
  });
});
