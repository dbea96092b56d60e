import { describe, expect, it } from 'vitest';
import {
  dockerBuildsOf,
  isPushed,
  lastDockerfile,
  LOCAL_CAPABILITIES,
  localBuilder,
  planInputs,
  previousOf,
  REGISTRY,
  REMOTE_CAPABILITIES,
  remoteBuilder,
  REMOTE_STORE,
  type InputsOptions,
} from '../../test/planInputs.js';
import type { DockerBuildStep, PlannedImage, PreviousImage } from '../model/plan.js';
import { planBuild } from './planBuild.js';

const NO_CODE = { allow_including_files_in_images: false, allow_download_from_artifact_store: false, allow_download_from_code_repository: false };
const only = (o: InputsOptions): PlannedImage => {
  const plan = planBuild(planInputs(o));
  expect(plan.images).toHaveLength(1);
  return plan.images[0]!;
};

describe('build decision (seed §"Docker Build Process")', () => {
  it.each<[string, InputsOptions, PlannedImage['action'], number]>([
    ['defaults: code is included, so an image is built', {}, 'build', 1],
    ['nothing to add → the parent image is used', { pipeline: { ...NO_CODE, parent_image: 'team/base:1' } }, 'use-parent', 0],
    ['skip_build → parent as-is, nothing applied', { pipeline: { parent_image: 'team/base:1', skip_build: true, requirements: ['x'], apt_packages: ['git'] } }, 'skip-build', 0],
    ['requirements need a build', { pipeline: { ...NO_CODE, requirements: ['pandas'] } }, 'build', 1],
    ['apt packages need a build', { pipeline: { ...NO_CODE, apt_packages: ['git'] } }, 'build', 1],
    ['environment needs a build', { pipeline: { ...NO_CODE, environment: { A: '1' } } }, 'build', 1],
    ['runtime_environment needs a build', { pipeline: { ...NO_CODE, runtime_environment: { A: '1' } } }, 'build', 1],
    ['user needs a build', { pipeline: { ...NO_CODE, user: 'app' } }, 'build', 1],
    ['custom Dockerfile alone → one image', { pipeline: { ...NO_CODE, dockerfile: 'Dockerfile' } }, 'build', 1],
    ['custom Dockerfile + extra settings → two images', { pipeline: { ...NO_CODE, dockerfile: 'Dockerfile', requirements: ['x'] } }, 'build', 2],
  ])('%s', (_name, o, action, builds) => {
    const image = only({ steps: {}, ...o });
    expect(image.action).toBe(action);
    expect(dockerBuildsOf(image)).toHaveLength(builds);
  });

  it("a Dockerfile alone: the plan's parent is that Dockerfile's base", () => {
    expect(only({ steps: {}, pipeline: { ...NO_CODE, dockerfile: 'Dockerfile' } }).parentImage).toBe('base:1');
  });

  it('use-parent and skip-build run the parent image itself', () => {
    expect(only({ steps: {}, pipeline: { ...NO_CODE, parent_image: 'team/base:1' } }).imageName).toBe('team/base:1');
    expect(only({ steps: {}, pipeline: { parent_image: 'team/base:2', skip_build: true } }).imageName).toBe('team/base:2');
  });

  it('stack requirements force a build only when the stack contributes some (departure from ZenML)', () => {
    expect(only({ steps: {}, pipeline: { ...NO_CODE }, stack: { requirements: [] } }).action).toBe('use-parent');
    const withReqs = only({ steps: {}, pipeline: { ...NO_CODE }, stack: { requirements: ['boto3>=1'] } });
    expect(withReqs.action).toBe('build');
    expect(withReqs.requirementFiles.map((f) => f.name)).toEqual(['.stowage_stack_requirements']);
    expect(only({ steps: {}, pipeline: { ...NO_CODE, install_stack_requirements: false }, stack: { requirements: ['boto3>=1'] } }).action).toBe('use-parent');
  });

  it('stack apt packages are installed unless install_stack_requirements is false', () => {
    expect(lastDockerfile(only({ steps: {}, stack: { aptPackages: ['libpq5'] } }))).toContain("'libpq5'");
    expect(lastDockerfile(only({ steps: {}, pipeline: { install_stack_requirements: false }, stack: { aptPackages: ['libpq5'] } }))).not.toContain('libpq5');
  });

  it('a custom Dockerfile plus settings: the second image is built FROM the first (intermediate, local)', () => {
    const image = only({ steps: {}, pipeline: { dockerfile: 'Dockerfile', parent_image: 'ignored:1', requirements: ['x'] } });
    const [first, second] = dockerBuildsOf(image);
    expect(first!.role).toBe('dockerfile');
    expect(first!.dockerfile).toBe('FROM base:1\nRUN echo hi\n');
    expect(first!.imageName).toMatch(/^stowage:training-[0-9a-f]{12}-intermediate$/);
    expect(isPushed(image, first!)).toBe(false);
    expect(second!.dockerfile.split('\n')[0]).toBe(`FROM ${first!.imageName}`);
    expect(image.imageName).toBe(second!.imageName);
    expect(image.parentImage).toBe(first!.imageName);
  });

  it('with a remote builder the intermediate image is pushed (the second build pulls it)', () => {
    const image = only({
      steps: {},
      pipeline: { dockerfile: 'Dockerfile', requirements: ['x'] },
      stack: { imageBuilder: remoteBuilder(), containerRegistry: REGISTRY, artifactStore: REMOTE_STORE },
      rest: { codeArchive: { digest: 'sha256:archive', present: false, selection: 'git' } },
    });
    const builds = dockerBuildsOf(image);
    expect(builds[0]!.imageName).toMatch(/^reg\.example\.com\/team\/stowage:training-[0-9a-f]{12}-intermediate$/);
    expect(builds.every((b) => isPushed(image, b))).toBe(true);
  });

  it("a local intermediate is named in the registry's default repository too (ZenML), without the registry uri", () => {
    const image = only({ steps: {}, pipeline: { dockerfile: 'Dockerfile', requirements: ['x'] }, stack: { containerRegistry: { ...REGISTRY, defaultRepository: 'ml/images' } } });
    const [first, second] = dockerBuildsOf(image);
    expect(first!.imageName).toMatch(/^ml\/images:training-[0-9a-f]{12}-intermediate$/);
    expect(isPushed(image, first!)).toBe(false);
    expect(second!.imageName).toMatch(/^reg\.example\.com\/team\/ml\/images:training-[0-9a-f]{12}-deps$/);
    expect(image.imageName).toMatch(/^reg\.example\.com\/team\/ml\/images:training-[0-9a-f]{12}$/);
  });

  it('build options go to the right image: parent_image_build_config for the Dockerfile, build_config for the generated', () => {
    const image = only({
      steps: {},
      pipeline: { dockerfile: 'Dockerfile', requirements: ['x'], parent_image_build_config: { build_options: { target: 'runtime' } }, build_config: { build_options: { buildargs: { A: '1' } } } },
    });
    // Typed BuildOptions now: docker-py's `buildargs` is `buildArgs`.
    const own = (o: DockerBuildStep['options']) => ({ ...o, labels: undefined });
    expect(own(dockerBuildsOf(image)[0]!.options)).toEqual({ target: 'runtime', labels: undefined });
    expect(own(dockerBuildsOf(image)[1]!.options)).toEqual({ buildArgs: { A: '1' }, labels: undefined });
  });
});

describe('OCI labels on every image (seed: use metadata and labels)', () => {
  const provenance = { revision: 'abc123', source: 'https://github.com/acme/p', created: '2026-01-02T03:04:05Z', version: '1.2.3' };
  it('source, revision, created, pipeline, steps, checksum and version, on every build (the intermediate too)', () => {
    const plan = planBuild(planInputs({ steps: { train: { dockerfile: 'Dockerfile', requirements: ['x'] } }, rest: { provenance } }));
    const train = plan.images.find((i) => i.key === 'train')!;
    for (const build of dockerBuildsOf(train)) {
      expect(build.options.labels).toEqual({
        'org.opencontainers.image.revision': 'abc123',
        'org.opencontainers.image.source': 'https://github.com/acme/p',
        'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
        'dev.stowage.pipeline': 'training',
        'dev.stowage.image': 'train',
        'dev.stowage.steps': 'train',
        'dev.stowage.checksum': build.checksum,
        'dev.stowage.version': '1.2.3',
      });
    }
    expect(dockerBuildsOf(plan.images.find((i) => i.key === 'pipeline')!)[0]!.options.labels).not.toHaveProperty('dev.stowage.steps');
  });

  it("the user's labels win; the labels are not part of the checksum (a new commit reuses the image)", () => {
    const mine = only({ steps: {}, pipeline: { build_config: { build_options: { labels: { 'org.opencontainers.image.source': 'https://mine' } } } }, rest: { provenance } });
    expect(dockerBuildsOf(mine)[0]!.options.labels).toMatchObject({ 'org.opencontainers.image.source': 'https://mine', 'dev.stowage.pipeline': 'training' });
    const other = only({ steps: {}, pipeline: { build_config: { build_options: { labels: { 'org.opencontainers.image.source': 'https://mine' } } } }, rest: { provenance: { ...provenance, revision: 'def456', created: '2027-01-01T00:00:00Z' } } });
    expect(other.checksum).toBe(mine.checksum);
  });

  it('a builder that does not honour labels gets none, and no warning', () => {
    const plan = planBuild(planInputs({ steps: {}, stack: { imageBuilder: remoteBuilder(), containerRegistry: REGISTRY, artifactStore: REMOTE_STORE }, rest: { provenance, codeArchive: { digest: 'sha256:a', present: true, selection: 'git' } } }));
    expect(dockerBuildsOf(plan.images[0]!)[0]!.options.labels).toBeUndefined();
    expect(plan.warnings).toEqual([]);
  });
});

describe("pulling the parent (ZenML's pull rule)", () => {
  const pulls = (o: InputsOptions) => dockerBuildsOf(only({ steps: {}, ...o })).map((b) => b.options.pull);
  it.each<[string, InputsOptions, (boolean | undefined)[]]>([
    ['the default parent: not pulled', {}, [undefined]],
    ['a parent_image: pulled (the local builder skips one that exists only on its engine)', { pipeline: { parent_image: 'team/base:1' } }, [true]],
    ['the user says no', { pipeline: { parent_image: 'team/base:1', build_config: { build_options: { pull: false } } } }, [false]],
    ['FROM a local intermediate: not pulled (nor the user Dockerfile build)', { pipeline: { dockerfile: 'Dockerfile', requirements: ['x'] } }, [undefined, undefined]],
    [
      'FROM an intermediate a remote builder pushed: pulled',
      { pipeline: { dockerfile: 'Dockerfile', requirements: ['x'] }, stack: { imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, buildOptions: ['pull'] } }), containerRegistry: REGISTRY, artifactStore: REMOTE_STORE }, rest: { codeArchive: { digest: 'sha256:a', present: true, selection: 'git' } } },
      [undefined, true],
    ],
  ])('%s', (_name, o, expected) => {
    expect(pulls(o)).toEqual(expected);
  });

  it('prevent_build_reuse rebuilds with a pull of the parent; pull is not part of the checksum', () => {
    const image = only({ steps: {}, pipeline: { parent_image: 'team/base:1', prevent_build_reuse: true } });
    expect(dockerBuildsOf(image)[0]!.options.pull).toBe(true);
    expect(dockerBuildsOf(image)[0]!.checksumInputs.buildOptions).toBe(only({ steps: {}, pipeline: { parent_image: 'team/base:1' } }).checksumInputs.buildOptions);
  });
});

describe('parent image', () => {
  it.each<[string, InputsOptions, string]>([
    ['python:<X.Y>-slim for the pipeline Python', {}, 'FROM python:3.11-slim'],
    ['the project default', { rest: { defaultParentImage: 'corp/python:3.11' } }, 'FROM corp/python:3.11'],
    ['the stack default wins over the project default', { stack: { defaultParentImage: 'mirror/python:3.11' }, rest: { defaultParentImage: 'corp/python:3.11' } }, 'FROM mirror/python:3.11'],
    ['parent_image wins over defaults', { pipeline: { parent_image: 'pytorch/pytorch:2.2.0' }, stack: { defaultParentImage: 'x:1' } }, 'FROM pytorch/pytorch:2.2.0'],
  ])('%s', (_name, o, from) => {
    expect(lastDockerfile(only({ steps: {}, ...o })).split('\n')[0]).toBe(from);
  });
});

describe('image names and tags (DESIGN §5)', () => {
  it.each<[string, InputsOptions, RegExp]>([
    ['content-addressed default tag', {}, /^stowage:training-[0-9a-f]{12}$/],
    ['image_tag verbatim', { pipeline: { image_tag: '1.0.0' } }, /^stowage:1\.0\.0$/],
    ['target_repository', { pipeline: { target_repository: 'ml/pipelines' } }, /^ml\/pipelines:training-[0-9a-f]{12}$/],
    ['registry uri + default repository', { stack: { containerRegistry: { flavor: 'oci', uri: 'gcr.io/my-project/', defaultRepository: 'zenml-pipelines' } } }, /^gcr\.io\/my-project\/zenml-pipelines:training-[0-9a-f]{12}$/],
    ['target_repository beats the registry default', { pipeline: { target_repository: 'mine' }, stack: { containerRegistry: { flavor: 'oci', uri: '127.0.0.1:5000', defaultRepository: 'theirs' } } }, /^127\.0\.0\.1:5000\/mine:training-[0-9a-f]{12}$/],
  ])('%s', (_name, o, name) => {
    expect(only({ steps: {}, ...o }).imageName).toMatch(name);
  });

  it('a per-step image carries the step name in its tag', () => {
    const plan = planBuild(planInputs({ steps: { load: undefined, 'train model': { apt_packages: ['git'] } } }));
    expect(plan.images.map((i) => i.imageName.replace(/[0-9a-f]{12}$/, 'H'))).toEqual(['stowage:training-H', 'stowage:training-trainmodel-H']);
  });

  it('an invalid image_tag is rejected at its key path', () => {
    expect(() => only({ steps: {}, pipeline: { image_tag: '-bad tag' } })).toThrow(/not a valid image tag/);
  });
});

describe('image sharing', () => {
  it('steps with the pipeline settings share the pipeline image; others get their own; equal settings share', () => {
    const plan = planBuild(planInputs({ steps: { load: undefined, train: { requirements: ['torch'] }, tune: { requirements: ['torch'] }, eval: undefined } }));
    expect(plan.steps).toEqual({ load: 'pipeline', train: 'train', tune: 'train', eval: 'pipeline' });
    expect(plan.images.map((i) => [i.key, i.steps])).toEqual([['pipeline', ['load', 'eval']], ['train', ['train', 'tune']]]);
  });

  it('the pipeline image is always planned, even when every listed step has its own settings (a ZenML run config lists only the steps it configures)', () => {
    const plan = planBuild(planInputs({ steps: { a: { apt_packages: ['git'] }, b: { apt_packages: ['curl'] } } }));
    expect(plan.images.map((i) => [i.key, i.steps])).toEqual([['pipeline', []], ['a', ['a']], ['b', ['b']]]);
  });
});

describe('code strategy (ZenML §3.2)', () => {
  const download = { kind: 'github', url: 'https://api.github.com/repos/acme/p/tarball/abc123def4567890', format: 'tar.gz' as const, commit: 'abc123def4567890', stripComponents: 1 };
  const clean = { root: '/proj', commit: 'abc123def4567890', isDirty: false, repository: 'main', isPushed: true, subdirectory: '', download };
  const repoStack = { codeRepositories: [{ flavor: 'github', name: 'main' }] };
  const codeArchive = { digest: 'sha256:archive', present: false, selection: 'git' as const };
  it.each<[string, InputsOptions, string, RegExp]>([
    ['include by default on a local stack', {}, 'include', /artifact store is not reachable/],
    ['clean pushed checkout → download from the code repository', { stack: repoStack, rest: { codeCheckout: clean } }, 'code-repository', /download commit abc123def456/],
    ['dirty checkout → include', { stack: repoStack, rest: { codeCheckout: { ...clean, isDirty: true } } }, 'include', /uncommitted or untracked/],
    ['unpushed commit → include', { stack: repoStack, rest: { codeCheckout: { ...clean, isPushed: false } } }, 'include', /commit abc123def456 is not pushed/],
    ['remote artifact store → upload', { stack: { artifactStore: REMOTE_STORE }, rest: { codeArchive } }, 'artifact-store', /s3 artifact store/],
    ['all flags false → none', { pipeline: NO_CODE }, 'none', /must already hold the code/],
    ['local project install forces include', { pipeline: { local_project_install_command: 'pip install .' }, stack: { artifactStore: REMOTE_STORE } }, 'include', /local_project_install_command/],
  ])('%s', (_name, o, strategy, reason) => {
    const image = only({ steps: {}, ...o });
    expect(image.code.strategy).toBe(strategy);
    expect(image.code.reason).toMatch(reason);
    const df = lastDockerfile(image);
    if (strategy === 'include') expect(df).toContain('COPY stowage_code/ ./');
    else expect(df).not.toContain('COPY stowage_code/');
    if (strategy === 'code-repository' || strategy === 'artifact-store') expect(df).toContain(`STOWAGE_CODE_SOURCE="${strategy}"`);
  });

  it('the source digest is part of the checksum only when code is included', () => {
    const a = only({ steps: {}, gathered: { sourceDigest: 'sha256:one' } });
    const b = only({ steps: {}, gathered: { sourceDigest: 'sha256:two' } });
    expect(a.checksum).not.toBe(b.checksum);
    const c = only({ steps: {}, pipeline: { ...NO_CODE, requirements: ['x'] }, gathered: { sourceDigest: 'sha256:one' } });
    const d = only({ steps: {}, pipeline: { ...NO_CODE, requirements: ['x'] }, gathered: { sourceDigest: 'sha256:two' } });
    expect(c.checksum).toBe(d.checksum);
  });
});

describe('checksums', () => {
  it('cover settings (except prevent_build_reuse), requirements, platform and builder', () => {
    const base = only({ steps: {} }).checksum;
    expect(only({ steps: {}, pipeline: { prevent_build_reuse: true } }).checksum).toBe(base);
    for (const o of [
      { pipeline: { environment: { A: '1' } } },
      { pipeline: { build_config: { build_options: { platform: 'linux/arm64' } } } },
      // A remote builder needs a registry; the registry alone does not enter the checksum.
      { stack: { imageBuilder: remoteBuilder({ flavor: 'gcp-cloudbuild', capabilities: { ...LOCAL_CAPABILITIES, push: 'in-build' } }), containerRegistry: REGISTRY } },
      { stack: { imageBuilder: localBuilder({ platform: 'linux/amd64' }) } },
      { pipeline: { requirements: ['x'] } },
    ] as InputsOptions[]) {
      expect(only({ steps: {}, ...o }).checksum).not.toBe(base);
    }
  });

  it('are deterministic', () => {
    expect(planBuild(planInputs())).toEqual(planBuild(planInputs()));
  });
});

describe('reuse and why', () => {
  const present = (image: PlannedImage) => ({ [image.imageName]: 'present' as const });

  it('reuses an earlier image with the same checksum on the same stack', () => {
    const first = only({ steps: {} });
    const again = only({ steps: {}, rest: { previousImages: [previousOf(first)], presence: present(first) } });
    expect(again.action).toBe('reuse');
    expect(again.reuse).toEqual({ buildId: 'b-1', imageReference: first.imageName });
    expect(again.why).toEqual(['unchanged since build b-1']);
  });

  it.each<[string, Partial<PreviousImage>]>([
    ['another stack', { stackName: 'aws' }],
    ['a changed stack', { stackChecksum: 'sha256:other' }],
  ])('does not reuse from %s', (_name, over) => {
    const first = only({ steps: {} });
    expect(only({ steps: {}, rest: { previousImages: [previousOf(first, over)], presence: present(first) } }).action).toBe('build');
  });

  it('prevent_build_reuse and --prevent-build-reuse build anyway, and say so', () => {
    const first = only({ steps: {} });
    const viaSettings = only({ steps: {}, pipeline: { prevent_build_reuse: true }, rest: { previousImages: [previousOf(first)], presence: present(first) } });
    expect([viaSettings.action, viaSettings.why]).toEqual(['build', ['prevent_build_reuse is set']]);
    const viaFlag = only({ steps: {}, rest: { previousImages: [previousOf(first)], presence: present(first), preventBuildReuse: true } });
    expect([viaFlag.action, viaFlag.why]).toEqual(['build', ['--prevent-build-reuse']]);
  });

  it('an unavailable earlier image is rebuilt, saying why', () => {
    const first = only({ steps: {} });
    const again = only({ steps: {}, rest: { previousImages: [previousOf(first)], presence: { [first.imageName]: 'absent' } } });
    expect(again.action).toBe('build');
    expect(again.why[0]).toMatch(/no longer exists/);
  });

  it.each<[string, InputsOptions, string]>([
    ['a changed requirement', { pipeline: { requirements: ['pandas==2.2.1'] } }, 'requirements .stowage_user_requirements changed'],
    ['changed settings', { pipeline: { requirements: ['pandas==2.2.0'], apt_packages: ['git'] } }, 'settings changed: apt_packages'],
    ['changed source files', { pipeline: { requirements: ['pandas==2.2.0'] }, gathered: { sourceDigest: 'sha256:src-2' } }, 'source files changed'],
  ])('says why it rebuilds: %s', (_name, o, why) => {
    const first = only({ steps: {}, pipeline: { requirements: ['pandas==2.2.0'] } });
    const again = only({ steps: {}, ...o, rest: { previousImages: [previousOf(first)] } });
    expect(again.action).toBe('build');
    expect(again.why).toContain(why);
  });
});

describe('one image per content', () => {
  it('steps whose settings differ only in prevent_build_reuse share one build', () => {
    const plan = planBuild(planInputs({ steps: { a: { apt_packages: ['git'] }, b: { apt_packages: ['git'], prevent_build_reuse: true } } }));
    expect(plan.images.map((i) => [i.key, i.steps])).toEqual([['pipeline', []], ['a', ['a', 'b']]]);
    expect(plan.images[1]!.settings.prevent_build_reuse).toBe(true);
  });

  it('a pipeline image_tag inherited by a step with its own settings is an error, not two images under one name', () => {
    expect(() => planBuild(planInputs({ pipeline: { image_tag: 'v1' }, steps: { load: undefined, train: { apt_packages: ['git'] } } }))).toThrow(
      /images pipeline and train are different but would both be named stowage:v1/,
    );
    const ok = planBuild(planInputs({ pipeline: { image_tag: 'v1' }, steps: { load: undefined, train: { apt_packages: ['git'], image_tag: 'v1-train' } } }));
    expect(ok.images.map((i) => i.imageName)).toEqual(['stowage:v1', 'stowage:v1-train']);
  });
});

describe('generated Dockerfile values (originOf)', () => {
  it("an unsafe value is rejected at the key path of the step's own setting", () => {
    expect(() => planBuild(planInputs({ steps: { train: { user: 'a b' } } }))).toThrow(
      expect.objectContaining({ code: 'DOCKERFILE_VALUE_UNSAFE', keyPath: 'steps.train.settings.docker.user' }),
    );
  });

  it('an inherited value is rejected where it was written (the pipeline level), not under the step', () => {
    const origins = { train: { environment: { file: 'stowage.yaml', line: 4, keyPath: 'settings.docker.environment', level: 'pipeline' } } };
    expect(() => planBuild(planInputs({ pipeline: { environment: { 'A B': '1' } }, steps: { train: undefined }, origins }))).toThrow(
      expect.objectContaining({ code: 'DOCKERFILE_VALUE_UNSAFE', keyPath: 'settings.docker.environment.A B' }),
    );
  });
});

describe("code repositories' requirements (ZenML: only for images that download code from one)", () => {
  const download = { kind: 'github', url: 'https://api.github.com/repos/acme/p/tarball/abc', format: 'tar.gz' as const, commit: 'abc123def4567890', stripComponents: 1 };
  const clean = { root: '/proj', commit: 'abc123def4567890', isDirty: false, repository: 'main', isPushed: true, subdirectory: '', download };
  const stack = { codeRepositories: [{ flavor: 'github', name: 'main' }], codeRepositoryRequirements: { pip: [], apt: ['git'] } };
  it.each([
    ['downloaded from it: its apt packages are installed', clean, true],
    ['included (the checkout is dirty): they are not', { ...clean, isDirty: true }, false],
  ])('%s', (_name, codeCheckout, installed) => {
    const image = only({ steps: {}, stack, rest: { codeCheckout } });
    expect(image.aptPackages.includes('git')).toBe(installed);
  });
});

describe('code that can only be downloaded (ZenML raises; so does Stowage)', () => {
  it('download-only flags with nothing to download from: an error at the flag, naming why (exit 2)', () => {
    const pipeline = { allow_including_files_in_images: false, allow_download_from_code_repository: true, allow_download_from_artifact_store: false };
    expect(() => planBuild(planInputs({ steps: {}, pipeline }))).toThrow(
      expect.objectContaining({
        code: 'CODE_UNAVAILABLE',
        exitCode: 2,
        keyPath: 'settings.docker.allow_download_from_code_repository',
        message: expect.stringContaining('no code repository is registered (code_repositories:)'),
      }),
    );
  });

  const download = { kind: 'github', url: 'https://api.github.com/repos/acme/p/tarball/abc', format: 'tar.gz' as const, commit: 'abc123def4567890', stripComponents: 1 };
  const checkout = { root: '/proj', commit: 'abc123def4567890', isDirty: false, repository: 'main', isPushed: true, subdirectory: '', download };
  it.each<[string, Partial<typeof checkout> | null, RegExp]>([
    ['no checkout', null, /the source root is not in a checkout of a registered code repository/],
    ['a dirty checkout', { isDirty: true }, /the checkout has uncommitted or untracked files/],
    ['unpushed commits', { isPushed: false }, /commit abc123def456 is not pushed to the code repository/],
  ])('only allow_download_from_code_repository, %s: the error names the flags and the reason', (_name, over, reason) => {
    const pipeline = { allow_including_files_in_images: false, allow_download_from_code_repository: true, allow_download_from_artifact_store: false };
    const codeCheckout = over ? { ...checkout, ...over } : null;
    const inputs = planInputs({ steps: {}, pipeline, stack: { codeRepositories: [{ name: 'main', flavor: 'github' }] }, rest: { codeCheckout } });
    expect(() => planBuild(inputs)).toThrow(
      expect.objectContaining({
        code: 'CODE_UNAVAILABLE',
        message: expect.stringMatching(/^the pipeline: only downloading the code is allowed \(allow_download_from_code_repository; allow_including_files_in_images is false\), but no download is possible: /),
      }),
    );
    expect(() => planBuild(inputs)).toThrow(reason);
  });
});
