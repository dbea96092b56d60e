/**
 * `.dockerignore` behaviour as data, checked by hand against the real `docker build` on this
 * machine: engine 20.10.24 with three builders, the 20.10 CLI (`/usr/bin/docker`) with the legacy
 * builder and with BuildKit (`DOCKER_BUILDKIT=1`), and the 28.2 CLI (first on PATH, no buildx, so
 * legacy builder only). All three agree on every case in this table; Stowage's own archive of each
 * folder, sent through the engine API to the classic builder and to BuildKit, lands the same files.
 *
 * Shared by the unit tests of `selectContextFiles` and by an e2e test that builds each folder with
 * the real CLI, so every `expected` list is what Docker puts in the image, not what we wish it did.
 *
 * How a case is built and read back:
 * - the folder holds `.dockerignore` (the `dockerignore` text, byte for byte) plus `files`, each
 *   file holding its own path and a newline;
 * - the Dockerfile, `FROM scratch` + `COPY . /ctx/`, lives OUTSIDE the folder and is passed with
 *   `-f`, so it is not a file of the context;
 * - `expected` lists every leaf under `/ctx/` in the image: files, plus directories left empty
 *   (with a trailing `/`), in byte order. `.dockerignore` is a file of the context and is listed
 *   whenever the patterns do not exclude it.
 */
export interface DockerignoreCase {
  /** Unique and usable as a folder name. */
  readonly name: string;
  /** What the case shows about Docker. */
  readonly why: string;
  /** Exact text of `<root>/.dockerignore`. */
  readonly dockerignore: string;
  /** Paths to create under the root; a trailing `/` makes an (empty) directory. */
  readonly files: readonly string[];
  /** Leaves that land in the image: files, and empty directories ending in `/`; byte-sorted. */
  readonly expected: readonly string[];
}

export const dockerignoreCases: readonly DockerignoreCase[] = [
  {
    name: 'comments-and-blank-lines-only',
    why: 'comment lines, blank lines and whitespace-only lines are no patterns',
    dockerignore: '# only comments\n\n   \n\t\n#another\n',
    files: ['a.txt', 'sub/b.txt'],
    expected: ['.dockerignore', 'a.txt', 'sub/b.txt'],
  },
  {
    name: 'name-anchored-at-root',
    why: 'unlike .gitignore, a bare name matches only at the root',
    dockerignore: 'secret.txt\n',
    files: ['secret.txt', 'sub/secret.txt', 'other.txt'],
    expected: ['.dockerignore', 'other.txt', 'sub/secret.txt'],
  },
  {
    name: 'single-star-one-level',
    why: '`*` does not cross `/`, so `*.log` only excludes root-level logs',
    dockerignore: '*.log\n',
    files: ['a.log', 'b.txt', 'logs/c.log', 'logs/deep/d.log'],
    expected: ['.dockerignore', 'b.txt', 'logs/c.log', 'logs/deep/d.log'],
  },
  {
    name: 'double-star-any-depth',
    why: '`**/` matches zero or more directories, the root included',
    dockerignore: '**/*.log\n',
    files: ['a.log', 'b.txt', 'logs/c.log', 'logs/deep/d.log', 'logs/keep.txt'],
    expected: ['.dockerignore', 'b.txt', 'logs/deep/', 'logs/keep.txt'],
  },
  {
    name: 'double-star-directory-any-depth',
    why: '`**/name` excludes a directory wherever it is; its emptied parent stays',
    dockerignore: '**/__pycache__\n',
    files: ['__pycache__/a.pyc', 'pkg/__pycache__/b.pyc', 'pkg/mod.py', 'pkg/sub/__pycache__/c.pyc'],
    expected: ['.dockerignore', 'pkg/mod.py', 'pkg/sub/'],
  },
  {
    name: 'trailing-double-star-keeps-the-directory',
    why: '`build/**` excludes what is inside build/ but not build/ itself, which lands empty',
    dockerignore: 'build/**\n',
    files: ['build/a.o', 'build/sub/b.o', 'src/main.c'],
    expected: ['.dockerignore', 'build/', 'src/main.c'],
  },
  {
    name: 'double-star-in-the-middle',
    why: '`a/**/z.txt` matches a/z.txt and any depth below a/, nothing outside a/',
    dockerignore: 'a/**/z.txt\n',
    files: ['a/z.txt', 'a/b/z.txt', 'a/b/c/z.txt', 'a/b/y.txt', 'z.txt'],
    expected: ['.dockerignore', 'a/b/c/', 'a/b/y.txt', 'z.txt'],
  },
  {
    name: 'leading-slash-is-root-relative',
    why: 'a leading `/` is stripped; patterns are root-relative anyway',
    dockerignore: '/root-only.txt\n/docs/\n',
    files: ['root-only.txt', 'sub/root-only.txt', 'docs/x.md', 'sub/docs/y.md'],
    expected: ['.dockerignore', 'sub/docs/y.md', 'sub/root-only.txt'],
  },
  {
    name: 'dot-slash-and-dot-segments-are-cleaned',
    why: 'patterns go through filepath.Clean: `./tmp` is `tmp`, `a/./b/../c.txt` is `a/c.txt`',
    dockerignore: './tmp\n./a/./b/../c.txt\n',
    files: ['tmp/x', 'a/c.txt', 'a/b/keep.txt', 'keep.txt'],
    expected: ['.dockerignore', 'a/b/keep.txt', 'keep.txt'],
  },
  {
    name: 'trailing-slash-also-matches-a-file',
    why: 'the trailing `/` is cleaned away, so `logs/` also excludes a FILE named logs',
    dockerignore: 'logs/\n',
    files: ['logs', 'sub/logs/x.txt', 'other.txt'],
    expected: ['.dockerignore', 'other.txt', 'sub/logs/x.txt'],
  },
  {
    name: 'directory-pattern-excludes-the-subtree',
    why: 'excluding a directory excludes everything beneath it, dotfiles included',
    dockerignore: 'node_modules\n',
    files: ['node_modules/a/index.js', 'node_modules/.bin/x', 'pkg/node_modules/b.js', 'index.js'],
    expected: ['.dockerignore', 'index.js', 'pkg/node_modules/b.js'],
  },
  {
    name: 'allowlist-star-then-keep',
    why: '`*` then `!name` keeps only the named entries; .dockerignore itself goes too',
    dockerignore: '*\n!src\n!requirements.txt\n',
    files: ['src/app.py', 'src/sub/util.py', 'requirements.txt', 'README.md', '.env', 'data/big.bin'],
    expected: ['requirements.txt', 'src/app.py', 'src/sub/util.py'],
  },
  {
    name: 'allowlist-does-not-reach-nested-names',
    why: '`!keep.txt` re-includes only the root keep.txt: sub/ stays excluded and is never walked',
    dockerignore: '*\n!keep.txt\n',
    files: ['.env', '.git/HEAD', 'keep.txt', 'sub/keep.txt'],
    expected: ['keep.txt'],
  },
  {
    name: 'reinclude-file-below-excluded-directory',
    why: 'Docker walks into an excluded directory when a `!` pattern starts with its path',
    dockerignore: 'build\n!build/keep/file.txt\n',
    files: ['build/other.txt', 'build/keep/file.txt', 'build/keep/other.txt', 'src/a.c'],
    expected: ['.dockerignore', 'build/keep/file.txt', 'src/a.c'],
  },
  {
    name: 'reinclude-directory-then-exclude-inside-it',
    why: 'rules apply in order; the last matching rule wins for each path',
    dockerignore: 'docs\n!docs/api\ndocs/api/internal.md\n',
    files: ['docs/index.md', 'docs/api/public.md', 'docs/api/internal.md', 'docs/api/v1/x.md'],
    expected: ['.dockerignore', 'docs/api/public.md', 'docs/api/v1/x.md'],
  },
  {
    name: 'last-match-wins',
    why: 'a `!` before the pattern it should override has no effect',
    dockerignore: '!keep.txt\n*.txt\n',
    files: ['keep.txt', 'a.txt', 'a.md'],
    expected: ['.dockerignore', 'a.md'],
  },
  {
    name: 'compiled-python-character-class',
    why: '`[co]` is a character class; `**/` reaches every depth',
    dockerignore: '**/*.py[co]\n',
    files: ['a.py', 'a.pyc', 'pkg/b.py', 'pkg/b.pyo', 'pkg/deep/c.pyc', 'pkg/deep/c.pyx'],
    expected: ['.dockerignore', 'a.py', 'pkg/b.py', 'pkg/deep/c.pyx'],
  },
  {
    name: 'question-mark-is-one-character',
    why: '`?` matches exactly one character (never `/`)',
    dockerignore: 'file?.txt\n',
    files: ['file1.txt', 'file10.txt', 'file.txt', 'fileA.txt', 'dir/file2.txt'],
    expected: ['.dockerignore', 'dir/file2.txt', 'file.txt', 'file10.txt'],
  },
  {
    name: 'character-range-and-caret-negation',
    why: '`[0-9]` is a range and `[^ab]` a negated class',
    dockerignore: 'log[0-9].txt\ndata[^ab].csv\n',
    files: ['log1.txt', 'logx.txt', 'dataa.csv', 'datac.csv', 'data1.csv'],
    expected: ['.dockerignore', 'dataa.csv', 'logx.txt'],
  },
  {
    name: 'bang-inside-class-is-literal',
    why: 'unlike a shell glob, `[!a]` is the class {!, a}: only `^` negates',
    dockerignore: 'x[!a].txt\n',
    files: ['xa.txt', 'xb.txt', 'x!.txt'],
    expected: ['.dockerignore', 'xb.txt'],
  },
  {
    name: 'whitespace-is-trimmed',
    why: 'lines are trimmed, and so is the text after `!`',
    dockerignore: '  spaced.txt   \n\ttabbed.txt\n*.md\n!   keep.md  \n',
    files: ['spaced.txt', 'tabbed.txt', 'a.md', 'keep.md', 'other.txt'],
    expected: ['.dockerignore', 'keep.md', 'other.txt'],
  },
  {
    name: 'hash-comments-and-escapes',
    why: 'only a `#` in column one starts a comment; ` #x` and `\\#x` are patterns for `#x`',
    dockerignore: '#comment.txt\n #spaced.txt\n\\#escaped.txt\n',
    files: ['#comment.txt', '#spaced.txt', '#escaped.txt', 'plain.txt'],
    expected: ['#comment.txt', '.dockerignore', 'plain.txt'],
  },
  {
    name: 'dockerignore-and-dockerfile-can-exclude-themselves',
    why: '`.dockerignore` and `Dockerfile` are context files like any other',
    dockerignore: '.dockerignore\nDockerfile\n',
    files: ['Dockerfile', 'app.py'],
    expected: ['app.py'],
  },
  {
    name: 'dot-dot-patterns',
    why: 'after filepath.Clean, `sub/../top.txt` is `top.txt`; a pattern that climbs above the root matches nothing',
    dockerignore: '../outside.txt\nsub/../top.txt\nsub/../../escape.txt\n',
    files: ['outside.txt', 'top.txt', 'escape.txt', 'sub/top.txt'],
    expected: ['.dockerignore', 'escape.txt', 'outside.txt', 'sub/top.txt'],
  },
  {
    name: 'exclude-everything-then-reinclude-a-tree',
    why: '`**` excludes everything; `!app/**` reaches back into app/ because it starts with `app/`',
    dockerignore: '**\n!app/**\n',
    files: ['README.md', 'app/main.py', 'app/sub/util.py', 'lib/x.py'],
    expected: ['app/main.py', 'app/sub/util.py'],
  },
  {
    name: 'wildcard-negation-does-not-reopen-an-excluded-directory',
    why: 'Docker only walks into an excluded directory for `!` patterns that literally start with its path',
    dockerignore: 'build\n!**/keep.txt\n',
    files: ['build/keep.txt', 'build/x.txt', 'keep.txt', 'src/keep.txt'],
    expected: ['.dockerignore', 'keep.txt', 'src/keep.txt'],
  },
  {
    name: 'negation-with-wildcard-after-the-directory',
    why: '`!tests/*.keep` starts with `tests/`, so the excluded tests/ is walked',
    dockerignore: 'tests\n!tests/*.keep\n',
    files: ['tests/a.keep', 'tests/b.py'],
    expected: ['.dockerignore', 'tests/a.keep'],
  },
  {
    name: 'negation-with-wildcard-before-the-directory',
    why: '`!*/a.keep` could match inside tests/, but does not start with `tests/`, so tests/ is skipped',
    dockerignore: 'tests\n!*/a.keep\n',
    files: ['tests/a.keep', 'tests/b.py', 'other/a.keep'],
    expected: ['.dockerignore', 'other/a.keep'],
  },
  {
    name: 'matching-is-case-sensitive',
    why: 'Docker on Linux matches case-sensitively',
    dockerignore: '*.PNG\nREADME\n',
    files: ['a.png', 'b.PNG', 'readme', 'README'],
    expected: ['.dockerignore', 'a.png', 'readme'],
  },
  {
    name: 'empty-directories-are-kept',
    why: 'directories that are not excluded land even when empty or emptied',
    dockerignore: '**/*.tmp\n',
    files: ['empty/', 'nested/empty/', 'x.tmp', 'only-tmp/y.tmp'],
    expected: ['.dockerignore', 'empty/', 'nested/empty/', 'only-tmp/'],
  },
  {
    name: 'star-inside-directory-with-reinclude',
    why: '`src/*` excludes the children of src/ (not src/ itself); `!src/keep.py` brings one back',
    dockerignore: 'src/*\n!src/keep.py\n',
    files: ['src/a.py', 'src/keep.py', 'src/pkg/b.py'],
    expected: ['.dockerignore', 'src/keep.py'],
  },
  {
    name: 'lone-dot-excludes-nothing',
    why: '`.` and `./` clean to `.`, which matches no path',
    dockerignore: '.\n./\n',
    files: ['a.txt', 'sub/b.txt'],
    expected: ['.dockerignore', 'a.txt', 'sub/b.txt'],
  },
  {
    name: 'star-slash-star-is-exactly-two-levels',
    why: '`*/*.md` matches at depth two only',
    dockerignore: '*/*.md\n',
    files: ['top.md', 'a/x.md', 'a/b/y.md'],
    expected: ['.dockerignore', 'a/b/y.md', 'top.md'],
  },
  {
    name: 'byte-order-mark-and-crlf',
    why: 'a UTF-8 BOM before the first line and CR before each LF are dropped',
    dockerignore: '\uFEFFbom.txt\r\ncrlf.txt\r\n',
    files: ['bom.txt', 'crlf.txt', 'kept.txt'],
    expected: ['.dockerignore', 'kept.txt'],
  },
  {
    name: 'question-mark-is-one-code-point',
    why: '`?` matches one character, even outside ASCII or the BMP',
    dockerignore: '?.txt\ncaf\u00e9.txt\n',
    files: ['\u{1F600}.txt', 'e.txt', 'ee.txt', 'caf\u00e9.txt'],
    expected: ['.dockerignore', 'ee.txt'],
  },
  {
    name: 'double-star-on-both-sides',
    why: '`**/build/**` empties every build/ but keeps the folders; `!**/build/keep` brings files back',
    dockerignore: '**/build/**\n!**/build/keep\n',
    files: ['build/a', 'build/keep', 'x/build/b', 'x/build/keep'],
    expected: ['.dockerignore', 'build/keep', 'x/build/keep'],
  },
  {
    name: 'reinclude-children-then-exclude-some',
    why: '`!logs/*` re-includes the children of an excluded folder, subfolders with their content',
    dockerignore: 'logs\n!logs/*\nlogs/*.tmp\n',
    files: ['logs/a.log', 'logs/b.tmp', 'logs/sub/c.log'],
    expected: ['.dockerignore', 'logs/a.log', 'logs/sub/c.log'],
  },
  {
    name: 'escaped-wildcard-is-literal',
    why: '`\\*` matches a literal star, and `$` is no regexp anchor',
    dockerignore: 'a\\*b\nz$\n',
    files: ['a*b', 'axb', 'z$', 'z'],
    expected: ['.dockerignore', 'axb', 'z'],
  },
  {
    name: 'negated-star-slash-reincludes-everything',
    why: '`!*/` cleans to `!*`, which re-includes every top-level entry and so everything',
    dockerignore: '*\n!*/\n',
    files: ['a/x', 'b.txt'],
    expected: ['.dockerignore', 'a/x', 'b.txt'],
  },
];

// Cases where Docker versions disagree, and files Docker refuses, live beside this table.
export * from './dockerignoreVersionCases.js';
