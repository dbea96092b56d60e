import type { DockerignoreCase } from './dockerignoreCases.js';

/** The Docker builders this table was checked against (engine 20.10.24 throughout). */
export type DockerBuilderName = 'cli20-legacy' | 'cli20-buildkit' | 'cli28-legacy';

/**
 * Cases where Docker versions disagree. `expected` is what Stowage selects, which is what current
 * Docker (the 28.2 CLI, moby/patternmatcher) does; `observed` lists the builders that differ.
 */
export interface DivergentDockerignoreCase extends DockerignoreCase {
  readonly observed: Readonly<Partial<Record<DockerBuilderName, readonly string[]>>>;
}

const cli20NodeModules = ['.dockerignore', 'a/b/node_modules/keep.js', 'a/b/node_modules/other.js', 'a/b/node_modules/sub/deep.js', 'x/'];

export const divergentDockerignoreCases: readonly DivergentDockerignoreCase[] = [
  {
    name: 'double-star-pattern-checks-every-parent',
    why: 'CLI 20.10 checks one parent per pattern, so below a re-included path `**/node_modules` stops applying',
    dockerignore: '**/node_modules\n!a/b/node_modules/keep.js\n',
    files: ['a/b/node_modules/keep.js', 'a/b/node_modules/other.js', 'a/b/node_modules/sub/deep.js', 'x/node_modules/y.js', 'node_modules/z.js'],
    expected: ['.dockerignore', 'a/b/node_modules/keep.js', 'x/'],
    observed: { 'cli20-legacy': cli20NodeModules, 'cli20-buildkit': cli20NodeModules },
  },
  {
    name: 'double-star-between-directories-checks-every-parent',
    why: 'same single-parent check in CLI 20.10, with `a/**/b`',
    dockerignore: 'a/**/b\n!a/b/keep\n',
    files: ['a/b/keep', 'a/b/c.txt', 'a/x/b/d.txt'],
    expected: ['.dockerignore', 'a/b/keep', 'a/x/'],
    observed: {
      'cli20-legacy': ['.dockerignore', 'a/b/c.txt', 'a/b/keep', 'a/x/'],
      'cli20-buildkit': ['.dockerignore', 'a/b/c.txt', 'a/b/keep', 'a/x/'],
    },
  },
  {
    name: 'double-star-inside-a-name-checks-every-parent',
    why: 'same single-parent check in CLI 20.10, with `a**b` (which spans `/`)',
    dockerignore: 'a**b\n!ax/b/keep\n',
    files: ['ab', 'axb', 'ax/b/c.txt', 'ax/b/keep', 'other'],
    expected: ['.dockerignore', 'ax/b/keep', 'axb', 'other'],
    observed: {
      'cli20-legacy': ['.dockerignore', 'ax/b/c.txt', 'ax/b/keep', 'axb', 'other'],
      'cli20-buildkit': ['.dockerignore', 'ax/b/c.txt', 'ax/b/keep', 'axb', 'other'],
    },
  },
  {
    name: 'leading-double-star-is-a-plain-suffix',
    why: 'current Docker matches `**foo` as "ends with foo", so it also drops barfoo; CLI 20.10 reads it as `**/foo`',
    dockerignore: '**foo\n',
    files: ['barfoo', 'foo', 'x/barfoo', 'x/foo', 'foox'],
    expected: ['.dockerignore', 'foox', 'x/'],
    observed: {
      'cli20-legacy': ['.dockerignore', 'barfoo', 'foox', 'x/barfoo'],
      'cli20-buildkit': ['.dockerignore', 'barfoo', 'foox', 'x/barfoo'],
    },
  },
  {
    name: 'regexp-characters-are-literal',
    why: 'CLI 20.10 passed `+ ( ) | { } ^` to its regexp: `a+b.txt` matched aab.txt, `(x).txt` x.txt, `k|l` any name starting with k',
    dockerignore: 'a+b.txt\n(x).txt\nk|l\nm{2}\nn^o\n',
    files: ['a+b.txt', 'aab.txt', '(x).txt', 'x.txt', 'k|l', 'k', 'l', 'm{2}', 'mm', 'n^o'],
    expected: ['.dockerignore', 'aab.txt', 'k', 'l', 'mm', 'x.txt'],
    observed: {
      'cli20-legacy': ['(x).txt', '.dockerignore', 'a+b.txt', 'm{2}', 'n^o'],
      'cli20-buildkit': ['(x).txt', '.dockerignore', 'a+b.txt', 'm{2}', 'n^o'],
    },
  },
  {
    name: 'excluded-directory-walked-for-nothing',
    why: 'BuildKit 20.10 ships an excluded directory it walked into as an empty folder, even when nothing below it came back',
    dockerignore: 'build\n!build/keep.txt\n',
    files: ['build/x.txt', 'build/sub/y.txt'],
    expected: ['.dockerignore'],
    observed: { 'cli20-buildkit': ['.dockerignore', 'build/'] },
  },
];

/** `.dockerignore` files that every Docker builder here refuses ("illegal exclusion pattern", "syntax error in pattern"). */
export interface InvalidDockerignoreCase {
  readonly name: string;
  readonly dockerignore: string;
  /** 1-based line of the offending pattern. */
  readonly line: number;
}

export const invalidDockerignoreCases: readonly InvalidDockerignoreCase[] = [
  { name: 'lone-bang', dockerignore: '*.txt\n!\n', line: 2 },
  { name: 'bang-and-spaces', dockerignore: '*.txt\n!   \n', line: 2 },
  { name: 'unclosed-class', dockerignore: '# first\n[\n', line: 2 },
  { name: 'empty-class', dockerignore: '[]\n', line: 1 },
  { name: 'reversed-range', dockerignore: 'ok.txt\n[z-a].txt\n', line: 2 },
  { name: 'trailing-backslash', dockerignore: 'abc\\\n', line: 1 },
];
