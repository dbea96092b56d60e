import { describe, expect, it } from 'vitest';
import type { ContextFiles, PlanInputs, PlannedImage } from '../model/plan.js';
import { PipelineBuildSchema } from '../model/PipelineBuild.js';
import { previousImagesOf } from '../record/previousImages.js';
import { Redactor } from '../settings/Redactor.js';
import { LOCAL_STACK, planInputs, previousOf, recordOf, type InputsOptions } from '../../test/planInputs.js';
import { explainRebuild, fileChanges } from './explainRebuild.js';
import { planBuild } from './planBuild.js';
import { settingChangeText } from './settingChangeText.js';

const SRC_1 = 'sha256:src-1';
const SRC_2 = 'sha256:src-2';
const files = (entries: Record<string, string>): ContextFiles => ({ count: Object.keys(entries).length, bytes: 10, files: entries });
const MAIN = { 'main.py': 'a'.repeat(64), 'lib/util.py': 'b'.repeat(64), 'lib/old.py': 'c'.repeat(64) };

/** The pipeline image of a plan whose previous build is `previous` (a round trip through a real record). */
function replan(first: InputsOptions, then: InputsOptions, redactor = new Redactor()): PlannedImage {
  const plan = planBuild(planInputs(first));
  const record = PipelineBuildSchema.parse(JSON.parse(JSON.stringify({ ...recordOf(plan, LOCAL_STACK), ...redactedRecord(plan, redactor) })));
  const previousImages = previousImagesOf([record], 'training').map((p) => ({ ...p, stackChecksum: LOCAL_STACK.checksum }));
  const rest: Partial<PlanInputs> = { ...then.rest, previousImages };
  return planBuild(planInputs({ ...then, rest })).images[0]!;
}

/** recordOf with a redactor that knows `redactor`'s secrets (recordOf's has none). */
function redactedRecord(plan: ReturnType<typeof planBuild>, redactor: Redactor) {
  return { images: recordOf(plan, LOCAL_STACK).images.map((i) => ({ ...i, settingValues: redactor.redactDeep(i.settingValues) })) };
}

const INCLUDE = { requirements: ['pandas==2.2.0', 'numpy==1.26.0'] };
const withSources = (digest: string, entries: Record<string, string>): InputsOptions => ({
  steps: {},
  pipeline: INCLUDE,
  gathered: { sourceDigest: digest },
  rest: { contextFiles: { [digest]: files(entries) } },
});

describe('plan says what changed since the last build', () => {
  it('names changed, added and removed source files', () => {
    const now = { ...MAIN, 'main.py': 'd'.repeat(64), 'lib/new.py': 'e'.repeat(64) };
    delete (now as Record<string, string>)['lib/old.py'];
    const image = replan(withSources(SRC_1, MAIN), withSources(SRC_2, now));
    expect(image.action).toBe('build');
    expect(image.why).toEqual(['source files changed: 1 changed (main.py), 1 added (lib/new.py), 1 removed (lib/old.py)']);
    expect(image.changes).toEqual([
      {
        kind: 'source-files',
        changed: { names: ['main.py'], count: 1 },
        added: { names: ['lib/new.py'], count: 1 },
        removed: { names: ['lib/old.py'], count: 1 },
        files: { before: 3, after: 3 },
      },
    ]);
  });

  it('lists the first few files and a count', () => {
    const many = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`src/m${String(i).padStart(2, '0')}.py`, 'f'.repeat(64)]));
    const image = replan(withSources(SRC_1, MAIN), withSources(SRC_2, { ...MAIN, ...many }));
    expect(image.why).toEqual(['source files changed: 25 added (src/m00.py, src/m01.py, src/m02.py and 22 more)']);
    const change = image.changes![0] as Extract<NonNullable<PlannedImage['changes']>[number], { kind: 'source-files' }>;
    expect([change.added!.names.length, change.added!.count]).toEqual([10, 25]);
  });

  it('says only counts when a context had too many files to keep their names', () => {
    const big = { [SRC_2]: { count: 30_000, bytes: 1e9 } };
    const image = replan(withSources(SRC_1, MAIN), { ...withSources(SRC_2, MAIN), rest: { contextFiles: big } });
    expect(image.why).toEqual(['source files changed (30000 files, was 3)']);
  });

  it('names requirement lines added and removed, and settings old → new', () => {
    const image = replan({ steps: {}, pipeline: INCLUDE }, { steps: {}, pipeline: { requirements: ['pandas==2.2.1', 'numpy==1.26.0'], apt_packages: ['git'] } });
    expect(image.why).toEqual([
      'settings apt_packages: added "git"',
      'settings requirements: added "pandas==2.2.1"; removed "pandas==2.2.0"',
      'requirements .stowage_user_requirements: added pandas==2.2.1; removed pandas==2.2.0',
    ]);
    expect(image.changes).toContainEqual({ kind: 'settings', field: 'apt_packages', before: [], after: ['git'] });
    expect(image.changes).toContainEqual({
      kind: 'requirements',
      file: '.stowage_user_requirements',
      status: 'changed',
      added: { names: ['pandas==2.2.1'], count: 1 },
      removed: { names: ['pandas==2.2.0'], count: 1 },
    });
  });

  it('hides credentials in settings values, in the record and in the plan', () => {
    const first = { steps: {}, pipeline: { environment: { API_TOKEN: 'tok-old-1234', MODE: 'a' } } };
    const image = replan(first, { steps: {}, pipeline: { environment: { API_TOKEN: 'tok-new-5678', MODE: 'b' } } });
    expect(image.why).toEqual(['settings environment: MODE: "a" → "b"']);
    expect(image.changes).toEqual([{ kind: 'settings', field: 'environment', before: { API_TOKEN: '***', MODE: 'a' }, after: { API_TOKEN: '***', MODE: 'b' } }]);
    expect(JSON.stringify(image.changes)).not.toMatch(/tok-/);
    const recorded = recordOf(planBuild(planInputs(first)), LOCAL_STACK);
    expect(JSON.stringify(recorded)).not.toContain('tok-old-1234');
  });

  it('a change of a credential alone is named without showing it', () => {
    const image = replan({ steps: {}, pipeline: { environment: { API_TOKEN: 'tok-old-1234' } } }, { steps: {}, pipeline: { environment: { API_TOKEN: 'tok-new-5678' } } });
    expect(image.why).toEqual(['settings environment: a hidden credential value changed']);
  });

  it('a requirement line with a credential in its URL is compared redacted: only the line that changed is named', () => {
    const index = '--extra-index-url https://user:s3cr3t-pass@pypi.example.com/simple';
    const image = replan({ steps: {}, pipeline: { requirements: [index, 'pandas==2.2.0'] } }, { steps: {}, pipeline: { requirements: [index, 'pandas==2.2.1'] } });
    expect(image.why).toContain('requirements .stowage_user_requirements: added pandas==2.2.1; removed pandas==2.2.0');
  });

  it('falls back to what changed, without values, for records written before values were stored', () => {
    const first = planBuild(planInputs({ steps: {}, pipeline: INCLUDE })).images[0]!;
    const again = planBuild(planInputs({ steps: {}, pipeline: { ...INCLUDE, apt_packages: ['git'] }, gathered: { sourceDigest: SRC_2 }, rest: { previousImages: [previousOf(first)] } })).images[0]!;
    expect(again.why).toEqual(['settings changed: apt_packages', 'source files changed']);
  });
});

describe('explainRebuild', () => {
  const inputs = { settings: {}, dockerfile: 'd1', requirements: {}, parentImage: 'python:3.11-slim', builder: 'local', buildOptions: 'o1' };

  it.each<[string, Partial<typeof inputs> & { context?: string }, Partial<typeof inputs> & { context?: string }, string[]]>([
    ['a new requirement file', {}, { requirements: { 'r.txt': 'sha256:1' } }, ['requirements r.txt added']],
    ['code no longer included', { context: SRC_1 }, {}, ['code no longer included']],
    ['code now included', {}, { context: SRC_1 }, ['code now included']],
    ['the parent image', {}, { parentImage: 'python:3.12-slim' }, ['parent image changed: python:3.11-slim → python:3.12-slim']],
    ['only the Dockerfile', {}, { dockerfile: 'd2' }, ['generated Dockerfile changed (Stowage version)']],
    ['build options', {}, { buildOptions: 'o2' }, ['build options changed']],
    ['nothing it can name', {}, {}, ['inputs equal those of build b-9, but its checksum differs']],
  ])('%s', (_name, before, after, why) => {
    expect(explainRebuild({ checksumInputs: { ...inputs, ...before } }, { checksumInputs: { ...inputs, ...after }, values: {} }, 'b-9').why).toEqual(why);
  });

  it('quotes a file name holding a terminal escape', () => {
    const old = { checksumInputs: { ...inputs, context: SRC_1 }, values: { context: files({}) } };
    const now = { checksumInputs: { ...inputs, context: SRC_2 }, values: { context: files({ '\u001b[2Jx.py': 'a'.repeat(64) }) } };
    expect(explainRebuild(old, now).why).toEqual(['source files changed: 1 added ("\\u001b[2Jx.py")']);
  });

  it('says a mode-only change of the files so', () => {
    const old = { checksumInputs: { ...inputs, context: SRC_1 }, values: { context: files(MAIN) } };
    expect(explainRebuild(old, { checksumInputs: { ...inputs, context: SRC_2 }, values: { context: files(MAIN) } }).why).toEqual(['source files changed: file modes or folders only']);
  });

  it('fileChanges: paths in order, symlink targets compared like contents', () => {
    expect(fileChanges({ a: '1', b: 'symlink:x', c: '3' }, { a: '1', b: 'symlink:y', d: '4' })).toEqual({
      changed: { names: ['b'], count: 1 },
      added: { names: ['d'], count: 1 },
      removed: { names: ['c'], count: 1 },
    });
  });
});

describe('settingChangeText', () => {
  it.each<[string, unknown, unknown, string]>([
    ['a scalar', 'pip', 'uv', '"pip" → "uv"'],
    ['an unset value', null, 'v1', 'null → "v1"'],
    ['object keys that differ, unset ones too', { A: '1', B: '2' }, { A: '1', B: '3', C: '4' }, 'B: "2" → "3", C: (unset) → "4"'],
    ['many keys', { a: 1, b: 1, c: 1, d: 1 }, { a: 2, b: 2, c: 2, d: 2 }, 'a: 1 → 2, b: 1 → 2, c: 1 → 2 and 1 more'],
    ['list items', ['git', 'curl'], ['git', 'vim'], 'added "vim"; removed "curl"'],
    ['a reordered list', ['a', 'b'], ['b', 'a'], 'order changed'],
    ['a hidden credential', { TOKEN: '***' }, { TOKEN: '***' }, 'a hidden credential value changed'],
    ['a long value, cut', 'x'.repeat(100), 'y', `"${'x'.repeat(58)}… → "y"`],
  ])('%s', (_name, before, after, text) => {
    expect(settingChangeText(before, after)).toBe(text);
  });
});
