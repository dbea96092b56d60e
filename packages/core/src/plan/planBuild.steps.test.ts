import { describe, expect, it } from 'vitest';
import {
  dockerBuildsOf,
  LOCAL_STACK,
  planInputs,
  recordOf,
  REGISTRY,
  REMOTE_CAPABILITIES,
  REMOTE_STACK,
  REMOTE_STORE,
  remoteBuilder,
  type InputsOptions,
} from '../../test/planInputs.js';
import type { BuildPlan, CodeArchiveState, GivenBuild, PlannedImage, PlanStack, PlanStepKind } from '../model/plan.js';
import { previousImagesOf } from '../record/previousImages.js';
import type { DockerSettingsInput } from '../settings/DockerSettingsSchema.js';
import { planBuild } from './planBuild.js';

const INCLUDE_ONLY = { allow_download_from_artifact_store: false, allow_download_from_code_repository: false };
const NO_CODE = { ...INCLUDE_ONLY, allow_including_files_in_images: false };
const DOWNLOAD_FROM_STORE = { allow_download_from_artifact_store: true, allow_download_from_code_repository: false };
const stackOf = (o: InputsOptions): PlanStack => ({ ...LOCAL_STACK, ...o.stack });
const kinds = (image: PlannedImage): PlanStepKind[] => image.buildSteps.map((s) => s.kind);
const hexOf = (digest: string) => digest.replace(/^sha256:/, '');

describe('plan steps per image', () => {
  it.each<[string, InputsOptions, PlanStepKind[]]>([
    ['local builder without a registry: only the build', {}, ['docker-build']],
    ['local builder with a registry: the dependency image built and pushed, then the code appended', { stack: { containerRegistry: REGISTRY } }, ['docker-build', 'push', 'append-layer']],
    ['local builder with a registry, no code: build, then push', { pipeline: { ...NO_CODE, apt_packages: ['git'] }, stack: { containerRegistry: REGISTRY } }, ['docker-build', 'push']],
    ['local_project_install_command runs on the code: it is copied by the Docker build', { pipeline: { local_project_install_command: 'pip install -e .' }, stack: { containerRegistry: REGISTRY } }, ['docker-build', 'push']],
    [
      'local builder, Dockerfile + settings, registry: the intermediate stays local, only the final image is pushed',
      { pipeline: { dockerfile: 'Dockerfile', requirements: ['x'] }, stack: { containerRegistry: REGISTRY } },
      ['docker-build', 'docker-build', 'push', 'append-layer'],
    ],
    [
      'a builder that pushes while building: one docker-build, no push step',
      { stack: { imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, stagesContext: false } }), containerRegistry: REGISTRY } },
      ['docker-build', 'append-layer'],
    ],
    ['a builder that reads a staged tar context: stage-context before its build', { pipeline: INCLUDE_ONLY, stack: REMOTE_STACK }, ['stage-context', 'docker-build', 'append-layer']],
    [
      'staged, Dockerfile + settings: each build has its own stage-context',
      { pipeline: { ...INCLUDE_ONLY, dockerfile: 'Dockerfile', requirements: ['x'] }, stack: REMOTE_STACK },
      ['stage-context', 'docker-build', 'stage-context', 'docker-build', 'append-layer'],
    ],
    ['use-parent: one use-parent step', { pipeline: { ...NO_CODE, parent_image: 'team/base:1' } }, ['use-parent']],
    ['skip_build: one skip-build step', { pipeline: { parent_image: 'team/base:1', skip_build: true } }, ['skip-build']],
  ])('%s', (_name, o, expected) => {
    const plan = planBuild(planInputs({ steps: {}, ...o }));
    expect(plan.images.map(kinds)).toEqual([expected]);
  });

  it('with a registry every image gets docker-build then push of its dependency image, then its code appended under its own name', () => {
    const plan = planBuild(planInputs({ steps: { a: { apt_packages: ['git'] }, b: { apt_packages: ['curl'] } }, stack: { containerRegistry: REGISTRY } }));
    expect(plan.images.map((i) => i.key)).toEqual(['pipeline', 'a', 'b']);
    for (const image of plan.images) {
      const [build, push, append] = image.buildSteps;
      const deps = image.dependencies!.imageName;
      expect(deps).toMatch(/-deps$/);
      expect(build).toMatchObject({ kind: 'docker-build', image: image.key, role: 'generated', imageName: deps, pushInBuild: false });
      expect(build).toMatchObject({ checksum: image.dependencies!.checksum, context: { root: null } });
      expect((build as { dockerfile: string }).dockerfile).not.toContain('COPY stowage_code');
      expect(push).toEqual({ kind: 'push', image: image.key, role: 'generated', imageName: deps, repository: 'reg.example.com/team/stowage' });
      expect(append).toMatchObject({ kind: 'append-layer', image: image.key, imageName: image.imageName, base: deps, baseFrom: 'build', destination: '/app', checksum: image.checksum });
      expect(append).toMatchObject({ context: { root: '/proj', extraFiles: [] }, labels: { 'dev.stowage.checksum': image.checksum } });
    }
  });

  it("the append-layer step follows the registry's insecure (plain http) setting", () => {
    const plan = planBuild(planInputs({ steps: {}, stack: { containerRegistry: { ...REGISTRY, insecure: true } } }));
    expect(plan.images[0]!.buildSteps.at(-1)).toMatchObject({ kind: 'append-layer', insecure: true });
    expect(planBuild(planInputs({ steps: {}, stack: { containerRegistry: REGISTRY } })).images[0]!.buildSteps.at(-1)).not.toHaveProperty('insecure');
  });

  it('a rebuilt image whose dependency image is recorded and still there: only the code is appended to it', () => {
    const o: InputsOptions = { steps: {}, stack: { containerRegistry: REGISTRY } };
    const first = planBuild(planInputs(o));
    const reference = `reg.example.com/team/stowage@sha256:${'d'.repeat(64)}`;
    const deps = first.images[0]!.dependencies!;
    const previous = { buildId: 'b-1', created: '2026-01-01T00:00:00.000Z', stackName: 'default', stackChecksum: 'sha256:stack', key: 'pipeline/dependencies', checksum: deps.checksum, checksumInputs: deps.checksumInputs, imageName: deps.imageName, imageReference: reference };
    const changed = { ...o, rest: { previousImages: [previous], presence: { [reference]: 'present' as const } } };
    const image = planBuild(planInputs(changed)).images[0]!;
    expect(kinds(image)).toEqual(['append-layer']);
    expect(image.buildSteps[0]).toMatchObject({ base: reference, baseFrom: 'reuse' });
    expect(image.why.at(-1)).toBe('dependency image unchanged since build b-1: only the code layers are appended');
    const gone = planBuild(planInputs({ ...changed, rest: { ...changed.rest, presence: { [reference]: 'absent' as const } } })).images[0]!;
    expect(kinds(gone)).toEqual(['docker-build', 'push', 'append-layer']);
    const prevented = planBuild(planInputs({ ...changed, rest: { ...changed.rest, preventBuildReuse: true } })).images[0]!;
    expect(kinds(prevented)).toEqual(['docker-build', 'push', 'append-layer']);
  });

  it('an in-build push is marked on the build, which is not staged without a staging format', () => {
    const stack = { imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, stagesContext: false } }), containerRegistry: REGISTRY };
    const [build] = dockerBuildsOf(planBuild(planInputs({ steps: {}, stack })).images[0]!);
    expect(build).toMatchObject({ pushInBuild: true, stagedContext: undefined });
  });

  it('stage-context goes to <store root>/contexts/<checksum hex>.tar, and its docker-build names it', () => {
    const image = planBuild(planInputs({ steps: {}, pipeline: INCLUDE_ONLY, stack: REMOTE_STACK })).images[0]!;
    const [stage, build] = image.buildSteps;
    if (stage?.kind !== 'stage-context' || build?.kind !== 'docker-build') throw new Error(`unexpected steps ${kinds(image).join(', ')}`);
    const key = `contexts/${hexOf(build.checksum)}.tar`;
    expect(stage).toEqual({ kind: 'stage-context', image: 'pipeline', role: 'generated', key, destination: `s3://bucket/stowage/${key}`, format: 'tar', context: build.context });
    expect(build.stagedContext).toEqual({ key, destination: `s3://bucket/stowage/${key}` });
    expect(build.pushInBuild).toBe(true);
    // The dependency image: only the generated files; the code is appended afterwards.
    expect(build.context.root).toBe(null);
    expect(image.buildSteps[2]).toMatchObject({ kind: 'append-layer', context: { root: '/proj' } });
  });

  it('two staged builds of one image are staged under their own checksums', () => {
    const image = planBuild(planInputs({ steps: {}, pipeline: { ...INCLUDE_ONLY, dockerfile: 'Dockerfile', requirements: ['x'] }, stack: REMOTE_STACK })).images[0]!;
    const stages = image.buildSteps.filter((s) => s.kind === 'stage-context');
    expect(stages.map((s) => [s.role, s.key])).toEqual(dockerBuildsOf(image).map((b) => [b.role, `contexts/${hexOf(b.checksum)}.tar`]));
  });

  it('a reused image is one reuse step naming the recorded reference and build', () => {
    const first = planBuild(planInputs({ steps: {} })).images[0]!;
    const previous = { buildId: 'b-7', created: '2026-01-01T00:00:00.000Z', stackName: 'default', stackChecksum: 'sha256:stack', key: first.key, checksum: first.checksum, checksumInputs: first.checksumInputs, imageName: first.imageName, imageReference: `${first.imageName}@sha256:${'a'.repeat(64)}` };
    const again = planBuild(planInputs({ steps: {}, rest: { previousImages: [previous], presence: { [previous.imageReference]: 'present' } } })).images[0]!;
    expect(again.buildSteps).toEqual([{ kind: 'reuse', image: 'pipeline', imageReference: previous.imageReference, buildId: 'b-7' }]);
  });
});

describe('the code archive upload (images that download code from the artifact store)', () => {
  const archive = (present: boolean): CodeArchiveState => ({ digest: 'sha256:c0de', present, selection: 'git' });
  const plan = (codeArchive: CodeArchiveState, pipeline: DockerSettingsInput = DOWNLOAD_FROM_STORE) => planBuild(planInputs({ steps: {}, pipeline, stack: { artifactStore: REMOTE_STORE }, rest: { codeArchive } }));

  it('is a pre-step to <root>/code_uploads/<hex>.tar.gz, before any image', () => {
    const p = plan(archive(false));
    expect(p.images[0]!.code.strategy).toBe('artifact-store');
    expect(p.preSteps).toEqual([
      { kind: 'upload-code-archive', key: 'code_uploads/c0de.tar.gz', destination: 's3://bucket/stowage/code_uploads/c0de.tar.gz', digest: 'sha256:c0de', root: '/proj', selection: 'git', exclude: ['/proj/.stowage'] },
    ]);
    expect(p.codeArchive).toEqual({ digest: 'sha256:c0de', uri: 's3://bucket/stowage/code_uploads/c0de.tar.gz', key: 'code_uploads/c0de.tar.gz' });
  });

  it('is not repeated when the archive is already in the store (the plan still names it)', () => {
    const p = plan(archive(true));
    expect(p.preSteps).toEqual([]);
    expect(p.codeArchive).toEqual({ digest: 'sha256:c0de', uri: 's3://bucket/stowage/code_uploads/c0de.tar.gz', key: 'code_uploads/c0de.tar.gz' });
  });

  it('is not needed by images that include their code; a skip_build image still downloads its code (seed)', () => {
    expect(plan(archive(false), { ...DOWNLOAD_FROM_STORE, allow_download_from_artifact_store: false }).preSteps).toEqual([]);
    const skip = plan(archive(false), { ...DOWNLOAD_FROM_STORE, parent_image: 'team/base:1', skip_build: true });
    expect(skip.images[0]!.code.strategy).toBe('artifact-store');
    expect(skip.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);
  });

  it('a skip_build image downloads its code from a registered code repository too, its launch spec carrying the bootstrap inline', () => {
    const download = { kind: 'github', url: 'https://api.github.com/repos/acme/p/tarball/abc', format: 'tar.gz' as const, commit: 'abc123def4567890', stripComponents: 1 };
    const codeCheckout = { root: '/proj', commit: 'abc123def4567890', isDirty: false, repository: 'main', isPushed: true, subdirectory: '', download };
    const o: InputsOptions = { steps: { train: undefined }, pipeline: { parent_image: 'team/base:1', skip_build: true }, stack: { codeRepositories: [{ name: 'main', flavor: 'github' }] }, rest: { codeCheckout } };
    const p = planBuild(planInputs(o));
    expect([p.images[0]!.action, p.images[0]!.code.strategy, p.codeCommit]).toEqual(['skip-build', 'code-repository', 'abc123def4567890']);
    const launch = recordOf(p, stackOf(o)).launch!.train!;
    expect(launch.command!.slice(0, 2)).toEqual(['python3', '-c']);
    expect(launch.code).toMatchObject({ source: 'code-repository', commit: 'abc123def4567890' });
  });

  it('the config file is not pipeline code: left out of the build context and the code archive', () => {
    const configFile = '/proj/stowage.yaml';
    const p = planBuild(planInputs({ steps: {}, pipeline: DOWNLOAD_FROM_STORE, stack: { artifactStore: REMOTE_STORE }, rest: { configFile, codeArchive: archive(false) } }));
    expect(p.preSteps[0]).toMatchObject({ kind: 'upload-code-archive', exclude: ['/proj/.stowage', configFile] });
    const included = planBuild(planInputs({ steps: {}, rest: { configFile } }));
    expect(dockerBuildsOf(included.images[0]!)[0]!.context).toMatchObject({ root: '/proj', prefix: 'stowage_code', exclude: ['/proj/.stowage', configFile] });
  });

  it('without a gathered archive, the plan refuses (gather and plan disagree)', () => {
    expect(() => planBuild(planInputs({ steps: {}, pipeline: DOWNLOAD_FROM_STORE, stack: { artifactStore: REMOTE_STORE } }))).toThrow(/downloads code from the artifact store, but none was gathered/);
  });
});

describe('outcome', () => {
  /** Plans, records the plan as built, then plans again with that record in the build store. */
  function planAgain(o: InputsOptions, again: InputsOptions = o, present = true): { first: BuildPlan; second: BuildPlan } {
    const first = planBuild(planInputs(o));
    const record = recordOf(first, stackOf(o));
    const previousImages = previousImagesOf([record], 'training');
    const presence = Object.fromEntries(previousImages.map((p) => [p.imageReference, present ? ('present' as const) : ('absent' as const)]));
    const second = planBuild(planInputs({ ...again, rest: { previousImages, previousBuilds: [record], presence, ...again.rest } }));
    return { first, second };
  }

  it('new-build when something is built', () => {
    expect(planBuild(planInputs()).outcome).toEqual({ kind: 'new-build' });
  });

  it('existing-build when nothing builds and an identical earlier build exists: no new record', () => {
    const { second } = planAgain({ steps: { load: undefined, train: { apt_packages: ['git'] } } });
    expect(second.images.map((i) => i.action)).toEqual(['reuse', 'reuse']);
    expect(second.outcome).toEqual({ kind: 'existing-build', buildId: 'b-1' });
  });

  describe('an image built from a user Dockerfile alone, given another image_tag or target_repository', () => {
    const dockerfileOnly: InputsOptions = { steps: {}, pipeline: { ...NO_CODE, dockerfile: 'Dockerfile', image_tag: 'v1' } };
    it.each<[string, DockerSettingsInput, Partial<PlanStack>, string, 'registry' | 'engine']>([
      ['a new image_tag, on the engine', { image_tag: 'v2' }, {}, 'stowage:v2', 'engine'],
      ['a new target_repository, in the registry', { target_repository: 'team/other' }, { containerRegistry: REGISTRY }, 'reg.example.com/team/team/other:v1', 'registry'],
    ])('%s: the reused image is given the planned name (no rebuild)', (_name, change, stack, name, where) => {
      const first: InputsOptions = { ...dockerfileOnly, stack };
      const { second } = planAgain(first, { ...first, pipeline: { ...first.pipeline, ...change } });
      const image = second.images[0]!;
      expect(image.action).toBe('reuse');
      expect(image.imageName).toBe(name);
      expect(image.buildSteps).toEqual([
        { kind: 'reuse', image: 'pipeline', imageReference: expect.any(String), buildId: 'b-1' },
        { kind: 'tag', image: 'pipeline', source: image.reuse!.imageReference, imageName: name, where },
      ]);
      expect(image.reuse!.imageReference).not.toBe(name);
      expect(second.outcome).toEqual({ kind: 'new-build' });
    });

    it('unchanged: reused as it is, nothing to tag, the earlier build is the answer', () => {
      const { second } = planAgain(dockerfileOnly);
      expect([second.images[0]!.action, second.images[0]!.reuse?.retag, second.outcome.kind]).toEqual(['reuse', undefined, 'existing-build']);
    });
  });

  it('existing-build also for images that run their parent as-is', () => {
    const { second } = planAgain({ steps: {}, pipeline: { ...NO_CODE, parent_image: 'team/base:1' } });
    expect(second.images.map((i) => i.action)).toEqual(['use-parent']);
    expect(second.outcome).toEqual({ kind: 'existing-build', buildId: 'b-1' });
  });

  it.each<[string, InputsOptions, InputsOptions, boolean]>([
    ['an image is rebuilt (it no longer exists)', { steps: {} }, { steps: {} }, false],
    ['the same images, but no build records them', { steps: {} }, { steps: {}, rest: { previousBuilds: [] } }, true],
    ['a step now shares the image (the record lists other steps)', { steps: { load: undefined } }, { steps: { load: undefined, eval: undefined } }, true],
  ])('new-build when %s', (_name, o, again, present) => {
    expect(planAgain(o, again, present).second.outcome).toEqual({ kind: 'new-build' });
  });

  it('new-build when the code archive must be uploaded again, though every image is reused', () => {
    const o: InputsOptions = { steps: {}, pipeline: DOWNLOAD_FROM_STORE, stack: { artifactStore: REMOTE_STORE }, rest: { codeArchive: { digest: 'sha256:c0de', present: true, selection: 'git' } } };
    const { second } = planAgain(o, { ...o, rest: { codeArchive: { digest: 'sha256:c0de', present: false, selection: 'git' } } });
    expect(second.images.map((i) => i.action)).toEqual(['reuse']);
    expect(second.preSteps.map((s) => s.kind)).toEqual(['upload-code-archive']);
    expect(second.outcome).toEqual({ kind: 'new-build' });
  });
});

describe('a given build (build: / --build)', () => {
  const recorded = (o: InputsOptions = {}) => recordOf(planBuild(planInputs(o)), stackOf(o), 'b-given');
  const given = (over: Partial<GivenBuild> = {}): GivenBuild => ({ build: recorded(), from: 'file', reference: 'build.yaml', stored: false, ...over });

  it('plans no images and no uploads; the outcome is the given build, saved when not yet stored', () => {
    const g = given();
    const plan = planBuild(planInputs({ rest: { given: g } }));
    expect([plan.images, plan.preSteps]).toEqual([[], []]);
    expect(plan.outcome).toEqual({ kind: 'given-build', buildId: 'b-given', from: 'file', reference: 'build.yaml', save: true, build: g.build });
    expect(planBuild(planInputs({ rest: { given: given({ from: 'store', reference: 'b-given', stored: true }) } })).outcome).toMatchObject({ from: 'store', save: false });
  });

  it('keeps the plan warnings and adds the verification warnings', () => {
    const plan = planBuild(planInputs({ rest: { given: given() } }), [{ message: 'from resolve' }]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'from resolve',
      'build b-given: its images contain code: the code baked into them will run, not your local code',
      'build b-given: it was built without a registry: its images may not exist on other machines',
    ]);
  });

  it.each<[string, InputsOptions, RegExp]>([
    ['made with other settings', { pipeline: { requirements: ['x'] } }, /its checksum differs from the current configuration/],
    ['made on another stack', { stack: { name: 'aws' } }, /it was made on stack "aws", the active stack is "default"/],
  ])('warns when it was %s', (_name, made, warning) => {
    const plan = planBuild(planInputs({ rest: { given: given({ build: recorded(made) }) } }));
    expect(plan.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(warning));
  });

  describe('images that download their code are rejected on a stack that cannot serve the download (ZenML verify_custom_build)', () => {
    const download = { kind: 'github', url: 'https://api.github.com/repos/acme/p/tarball/abc', format: 'tar.gz' as const, commit: 'abc123def4567890', stripComponents: 1 };
    const checkout = { root: '/proj', commit: 'abc123def4567890', isDirty: false, repository: 'main', isPushed: true, subdirectory: '', download };
    const repoOnly = { allow_download_from_artifact_store: false, allow_including_files_in_images: false };
    const fromRepo = (): InputsOptions => ({ steps: {}, pipeline: repoOnly, stack: { codeRepositories: [{ name: 'main', flavor: 'github' }] }, rest: { codeCheckout: checkout } });
    const storeMade: InputsOptions = { steps: {}, pipeline: DOWNLOAD_FROM_STORE, stack: { artifactStore: REMOTE_STORE }, rest: { codeArchive: { digest: 'sha256:c0de', present: true, selection: 'git' } } };

    it('accepted where it was made', () => {
      expect(planBuild(planInputs({ ...fromRepo(), rest: { ...fromRepo().rest, given: given({ build: recorded(fromRepo()) }) } })).outcome.kind).toBe('given-build');
      expect(planBuild(planInputs({ ...storeMade, rest: { given: given({ build: recorded(storeMade) }) } })).outcome.kind).toBe('given-build');
    });

    it.each<[string, InputsOptions, RegExp]>([
      ['no code repository is registered', { steps: {} }, /downloads its code from the code repository main but none is registered here/],
      ['another code repository is registered', { steps: {}, stack: { codeRepositories: [{ name: 'other', flavor: 'gitlab' }] } }, /the code repository main, which is not registered here \(other\)/],
    ])('from a code repository, when %s', (_name, here, error) => {
      const build = recorded(fromRepo());
      expect(build.images.some((i) => i.codeStrategy === 'code-repository')).toBe(true);
      expect(() => planBuild(planInputs({ ...here, rest: { given: given({ build }) } }))).toThrow(expect.objectContaining({ code: 'CODE_UNAVAILABLE', message: expect.stringMatching(error) }));
    });

    it.each<[string, InputsOptions, RegExp]>([
      ['the stack has a local store only', { steps: {} }, /the active stack has none containers can reach/],
      ['the stack has another store', { steps: {}, stack: { artifactStore: { ...REMOTE_STORE, root: 's3://other/stowage' } } }, /outside the active stack's artifact store s3:\/\/other\/stowage/],
    ])('from the artifact store, when %s', (_name, here, error) => {
      const build = recorded(storeMade);
      expect(() => planBuild(planInputs({ ...here, rest: { given: given({ build }) } }))).toThrow(expect.objectContaining({ code: 'CODE_UNAVAILABLE', message: expect.stringMatching(error) }));
    });
  });

  it('a step the given build has no image for is an error', () => {
    expect(() => planBuild(planInputs({ steps: { train: undefined, eval: undefined }, rest: { given: given() } }))).toThrow(
      expect.objectContaining({ code: 'BUILD_INVALID', message: 'the build b-given is missing an image for step "eval"' }),
    );
  });
});
