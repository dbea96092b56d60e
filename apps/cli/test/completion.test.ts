import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BuildStore } from '@stowage/core';
import { stowage } from './runInProcess.js';

const YAML = `
pipeline: { name: training }
steps: { load: {}, train: {}, evaluate: {} }
stacks:
  local: { image_builder: { flavor: local } }
  shared: { image_builder: { flavor: local } }
`;

function project(yaml = YAML): string {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-completion-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  return dir;
}

const env = { PATH: process.env.PATH, HOME: process.env.HOME };

/** What `stowage complete -- …` (the endpoint the shell scripts call) offers: the values, and the directive line. */
async function complete(dir: string, words: string[]): Promise<{ values: string[]; directive: string }> {
  const r = await stowage(dir, ['complete', '--', ...words], env);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  return { values: lines.slice(0, -1).map((l) => l.split('\t')[0]!), directive: lines.at(-1)! };
}

describe('shell completion', () => {
  it.each(['bash', 'zsh', 'fish'])('`completion %s` prints a script that asks `stowage complete --`', async (shell) => {
    const r = await stowage(project(), ['completion', shell], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`# ${shell} completion for stowage`);
    expect(r.stdout).toContain('stowage complete --');
  });

  it('an unknown shell is bad input (exit 2) naming the choices', async () => {
    const r = await stowage(project(), ['completion', 'tcsh'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'tcsh' is invalid for argument 'shell'. Allowed choices are zsh, bash, fish, powershell.");
    expect(r.stdout).toBe('');
  });

  it('completes commands, subcommands and options', async () => {
    const dir = project();
    expect((await complete(dir, ['bu'])).values).toEqual(['build', 'builds']);
    expect((await complete(dir, ['builds', ''])).values).toEqual(expect.arrayContaining(['list', 'get', 'delete']));
    expect((await complete(dir, ['build', '--st'])).values).toEqual(['--step', '--stack']);
    expect((await complete(dir, ['doctor', '--'])).values).toEqual(expect.arrayContaining(['--json', '--stack']));
    expect((await complete(dir, [''])).values).not.toContain('complete');
  });

  it('completes step names, stack names and build ids from the project', async () => {
    const dir = project();
    expect(await complete(dir, ['build', '--step', ''])).toEqual({ values: ['load', 'train', 'evaluate'], directive: ':4' });
    expect((await complete(dir, ['plan', '--step', 't'])).values).toEqual(['train']);
    expect((await complete(dir, ['dockerfile', ''])).values).toEqual(['load', 'train', 'evaluate']);
    expect((await complete(dir, ['build', '--stack', ''])).values).toEqual(['local', 'shared']);
    expect((await complete(dir, ['--stack', 'sh'])).values).toEqual(['shared']);
    expect((await complete(dir, ['stack', 'describe', ''])).values).toEqual(['local', 'shared']);
    const build = { id: 'ab53ca00-0000-4000-8000-000000000001', pipeline: 'training', stack: { name: 'local', checksum: 'sha256:s' }, checksum: 'sha256:c', images: [] };
    await new BuildStore(join(dir, '.stowage')).save({ ...build, containsCode: true, isLocal: true, toolVersion: '0.1.0', pythonVersion: '3.11', created: '2026-11-01T10:00:00.000Z', durationSeconds: 1 });
    expect((await complete(dir, ['builds', 'delete', ''])).values).toEqual([build.id]);
  });

  it('reads the project --config names on the line; a config that does not load completes no names and prints no error', async () => {
    const dir = project('pipline: broken\n');
    writeFileSync(join(dir, 'other.yaml'), YAML.replace('load: {}, ', ''));
    expect((await complete(dir, ['build', '--step', ''])).values).toEqual([]);
    expect((await complete(dir, ['-c', 'other.yaml', 'build', '--step', ''])).values).toEqual(['train', 'evaluate']);
  });

  it('works in a real bash through the generated script', async () => {
    const dir = project();
    const bin = mkdtempSync(join(tmpdir(), 'stowage-bin-'));
    // `stowage` on PATH as a user would have it, running this checkout's sources.
    writeFileSync(join(bin, 'stowage'), `#!/bin/sh\nexec node --conditions=@stowage/source ${join(import.meta.dirname, '../bin/stowage-dev.mjs')} "$@"\n`);
    chmodSync(join(bin, 'stowage'), 0o755);
    const script = (await stowage(dir, ['completion', 'bash'], env)).stdout;
    // The script reads the words with bash-completion's _get_comp_words_by_ref; a minimal stand-in where that package is missing.
    const shim = 'type _get_comp_words_by_ref >/dev/null 2>&1 || _get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }';
    const driver = `${shim}\n${script}\nCOMP_WORDS=(stowage build --step tr); COMP_CWORD=3; __stowage_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout } = await promisify(execFile)('bash', ['-c', driver], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(stdout.trim().split('\n')).toEqual(['train']);
  }, 60_000);
});
