/**
 * The workspace lint rules bite (STYLE habit 12, "Enforced, not hoped"). Each case lints a small
 * snippet with the real root eslint.config.js at a path where the rule applies, and asserts the
 * rule reports it; a neighbouring case shows what stays allowed, so a rule that forbade
 * everything would fail too. Removing or mis-scoping a rule fails a test here.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

/** Lints `code` as if it were the file at `path` (relative to the repository root). */
async function lint(path: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  if (!result) throw new Error(`ESLint returned no result for ${path}`);
  return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

async function rulesFor(path: string, code: string): Promise<Array<string | null>> {
  return (await lint(path, code)).map((f) => f.ruleId);
}

/** A function whose body makes it `lines` lines long, counted as max-lines-per-function does. */
function functionOfLines(lines: number): string {
  const body = Array.from({ length: lines - 4 }, (_, i) => `  total += ${i};`);
  return ['export function long(): number {', '  let total = 0;', ...body, '  return total;', '}', ''].join('\n');
}

describe('pure stages (core resolve/, plan/, model/) import no I/O', () => {
  const stages = ['resolve', 'plan', 'model'];

  it.each(stages)('%s/: node:fs is an error', async (stage) => {
    const findings = await lint(`packages/core/src/${stage}/lintProbe.ts`, "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n");
    expect(findings).toEqual([{ ruleId: 'no-restricted-imports', message: expect.stringContaining('Pure stage') }]);
  });

  it.each([
    "import { readFile } from 'node:fs/promises';",
    "import { readFile } from 'fs';",
    "import { spawn } from 'node:child_process';",
    "import { request } from 'node:https';",
    "import { lookup } from 'node:dns';",
    "import { tmpdir } from 'node:os';",
    "import type { Readable } from 'node:stream';",
    "import Docker from 'dockerode';",
    "import { pack } from 'tar-stream';",
    "import { gatherPlanInputs } from '../gather/gatherInputs.js';",
    "import { runLimited } from '../execute/runLimited.js';",
    "import type { PipelineBuild } from '../record/PipelineBuild.js';",
    "import { selectContextFiles } from '../context/index.js';",
    "import { ProcessRunner } from '../process/ProcessRunner.js';",
    "import { composeStack } from '../stack/composeStack.js';",
    "export { composeStack } from '../stack/composeStack.js';",
    "export const load = () => import('node:fs');",
    "export const load = () => import('dockerode');",
    "export const load = () => import('../gather/gatherInputs.js');",
  ])('plan/: `%s` is an error', async (line) => {
    const name = /^import (?:type )?(?:\{ )?(\w+)/.exec(line)?.[1];
    const code = name ? `${line}\nexport type Used = typeof ${name};\n` : `${line}\n`;
    const findings = await lint('packages/core/src/plan/lintProbe.ts', code);
    expect(findings).toContainEqual({ ruleId: expect.stringMatching(/^no-restricted-(imports|syntax)$/), message: expect.stringContaining('Pure stage') });
  });

  it('plan/: node:path, node:crypto and the model are allowed', async () => {
    const code = [
      "import { posix } from 'node:path';",
      "import { createHash } from 'node:crypto';",
      "import { checksumOf } from '../model/checksum.js';",
      'export const used = [posix, createHash, checksumOf];',
      '',
    ].join('\n');
    expect(await rulesFor('packages/core/src/plan/lintProbe.ts', code)).toEqual([]);
  });

  it('their tests may do I/O, but not deep imports', async () => {
    const io = "import { mkdtemp } from 'node:fs/promises';\nimport { BuildStore } from '../record/BuildStore.js';\nexport const used = [mkdtemp, BuildStore];\n";
    expect(await rulesFor('packages/core/src/plan/lintProbe.test.ts', io)).toEqual([]);
    const deep = "import { x } from '@stowage/core/src/x.js';\nexport const used = x;\n";
    expect(await rulesFor('packages/core/src/plan/lintProbe.test.ts', deep)).toEqual(['no-restricted-imports']);
  });

  it('the I/O stages themselves may use node:fs', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n";
    expect(await rulesFor('packages/core/src/gather/lintProbe.ts', code)).toEqual([]);
  });
});

describe('no deep imports across packages', () => {
  it.each([
    ['import', "import { x } from '@stowage/core/src/x.js';\nexport const used = x;\n", 'no-restricted-imports'],
    ['re-export', "export { x } from '@stowage/oci/src/x.js';\n", 'no-restricted-imports'],
    ['import()', "export const load = () => import('@stowage/core/dist/index.js');\n", 'no-restricted-syntax'],
  ])('a deep %s is an error anywhere', async (_kind, code, ruleId) => {
    for (const path of ['plugins/exporter-pip/src/lintProbe.ts', 'apps/cli/src/lintProbe.ts', 'packages/core/src/plan/lintProbe.ts']) {
      expect(await lint(path, code), path).toContainEqual({ ruleId, message: expect.stringContaining('Deep import') });
    }
  });

  it('a package root and `@stowage/<pkg>/package.json` are allowed', async () => {
    const code = [
      "import core from '@stowage/core/package.json';",
      "import { StowageError } from '@stowage/plugin-api';",
      "export const used = [core, StowageError, () => import('@stowage/core')];",
      '',
    ].join('\n');
    expect(await rulesFor('plugins/exporter-pip/src/lintProbe.ts', code)).toEqual([]);
  });

  it('a relative import that climbs into another package is an error', async () => {
    const code = "import { probeTarget } from '../../lint-rules/test/__fixtures__/probeTarget.js';\nexport const used = probeTarget;\n";
    expect(await rulesFor('tooling/e2e/src/lintProbe.ts', code)).toContain('import-x/no-relative-packages');
  });

  it('a relative import inside the package is allowed', async () => {
    const code = "import { probeTarget } from './__fixtures__/probeTarget.js';\nexport const used = probeTarget;\n";
    expect(await rulesFor('tooling/lint-rules/test/lintProbe.ts', code)).toEqual([]);
  });
});

describe('short functions, small files (source only)', () => {
  it('a 41-line function is an error, a 40-line one is not', async () => {
    expect(await rulesFor('packages/core/src/config/lintProbe.ts', functionOfLines(41))).toEqual(['max-lines-per-function']);
    expect(await rulesFor('packages/core/src/config/lintProbe.ts', functionOfLines(40))).toEqual([]);
  });

  it('blank lines and comments are not counted', async () => {
    const padded = functionOfLines(40).replace('  let total = 0;', '  let total = 0;\n\n  // why\n\n');
    expect(await rulesFor('packages/core/src/config/lintProbe.ts', padded)).toEqual([]);
  });

  it('a 301-line file is an error', async () => {
    const code = Array.from({ length: 301 }, (_, i) => `export const line${i} = ${i};`).join('\n');
    expect(await rulesFor('plugins/exporter-pip/src/lintProbe.ts', code)).toEqual(['max-lines']);
  });

  it.each(['packages/core/src/config/lintProbe.test.ts', 'packages/core/src/config/__fixtures__/lintProbe.ts', 'tooling/e2e/test/lintProbe.ts'])(
    'tests and fixtures are exempt: %s',
    async (path) => {
      expect(await rulesFor(path, functionOfLines(60))).toEqual([]);
    },
  );
});

describe('no import cycles', () => {
  // no-cycle follows real files, so the two modules are written to a folder inside the repository.
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(packageDir, 'probe-'));
    await writeFile(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n");
    await writeFile(join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = (): number => a() + 1;\n");
    await writeFile(join(dir, 'c.ts'), "import type { a } from './d.js';\nexport type C = typeof a;\nexport const c = 1;\n");
    await writeFile(join(dir, 'd.ts'), "import { c } from './c.js';\nexport const a = c;\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rulesOfFile(name: string): Promise<Array<string | null>> {
    const [result] = await eslint.lintFiles([relative(repoRoot, join(dir, name))]);
    return result?.messages.map((m) => m.ruleId) ?? [];
  }

  it('two modules importing each other are an error', async () => {
    expect(await rulesOfFile('a.ts')).toEqual(['import-x/no-cycle']);
    expect(await rulesOfFile('b.ts')).toEqual(['import-x/no-cycle']);
  });

  it('a type-only import back is no cycle (it is erased)', async () => {
    expect(await rulesOfFile('c.ts')).toEqual([]);
    expect(await rulesOfFile('d.ts')).toEqual([]);
  });
});
