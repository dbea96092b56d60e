import type { BuildCheck, Finding } from '@stowage/plugin-api';
import { describe, expect, it } from 'vitest';
import { LOCAL_CAPABILITIES, localBuilder, planInputs, REGISTRY, REMOTE_CAPABILITIES, REMOTE_STACK, remoteBuilder, type InputsOptions } from '../../test/planInputs.js';
import { checkCapabilities } from './checkCapabilities.js';
import { planImageDrafts } from './planBuild.js';

const INCLUDE_ONLY = { allow_download_from_artifact_store: false, allow_download_from_code_repository: false };
/** Where the fixture stack's image_builder is configured (LOCAL_STACK.componentOrigins). */
const BUILDER_AT = { file: 'stowage.yaml', line: 3, keyPath: 'stacks.default.image_builder.flavor' };

/** The capability check on the images the inputs plan, as planBuild runs it. */
function check(o: InputsOptions) {
  const inputs = planInputs({ steps: {}, ...o });
  return checkCapabilities(planImageDrafts(inputs), inputs.stack);
}

function errorOf(run: () => unknown): Record<string, unknown> {
  try {
    run();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected an error');
}

describe('checkCapabilities: the plan holds the stack to what its components declare', () => {
  it.each<[string, InputsOptions, RegExp, object]>([
    [
      'push none + a registry',
      { stack: { imageBuilder: localBuilder({ capabilities: { ...LOCAL_CAPABILITIES, push: 'none' } }), containerRegistry: REGISTRY } },
      /stack "default": the local image builder cannot push, but the stack has a container registry/,
      BUILDER_AT,
    ],
    [
      'a remote builder without a registry',
      { stack: { imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, stagesContext: false } }) } },
      /the aws-codebuild image builder builds remotely, so its images must go to a container registry/,
      { ...BUILDER_AT, hint: 'add a container_registry to the stack' },
    ],
    [
      'a staged context without an artifact store',
      { pipeline: INCLUDE_ONLY, stack: { ...REMOTE_STACK, artifactStore: undefined } },
      /reads its build context from the artifact store, but the stack has none/,
      BUILDER_AT,
    ],
    [
      'a staging format core cannot write',
      // A plugin newer than this core may ask for a format it does not know (tar, tar.gz and zip are written).
      { pipeline: INCLUDE_ONLY, stack: { ...REMOTE_STACK, imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, stagesContext: '7z' as never } }) } },
      /wants its context as 7z, which this Stowage cannot write/,
      BUILDER_AT,
    ],
    [
      'a platform it cannot build for (build_config) → at that build option',
      { pipeline: { ...INCLUDE_ONLY, build_config: { build_options: { platform: 'linux/s390x' } } }, stack: REMOTE_STACK },
      /image pipeline: the aws-codebuild image builder cannot build for linux\/s390x/,
      { file: 'stowage.yaml', line: 1, keyPath: 'settings.docker.build_config.build_options.platform', hint: 'it builds for linux/amd64, linux/arm64' },
    ],
    [
      'a platform it cannot build for, set for one step',
      { steps: { train: { build_config: { build_options: { platform: 'linux/s390x' } } } }, pipeline: INCLUDE_ONLY, stack: REMOTE_STACK },
      /image train: .* cannot build for linux\/s390x/,
      { keyPath: 'steps.train.settings.docker.build_config.build_options.platform' },
    ],
    [
      'a platform it cannot build for, for the Dockerfile image → parent_image_build_config',
      { pipeline: { ...INCLUDE_ONLY, dockerfile: 'Dockerfile', parent_image_build_config: { build_options: { platform: 'linux/s390x' } } }, stack: REMOTE_STACK },
      /cannot build for linux\/s390x/,
      { keyPath: 'settings.docker.parent_image_build_config.build_options.platform' },
    ],
    [
      "the builder's own platform outside its list → at the image builder",
      { pipeline: INCLUDE_ONLY, stack: { ...REMOTE_STACK, imageBuilder: remoteBuilder({ platform: 'linux/ppc64le' }) } },
      /cannot build for linux\/ppc64le/,
      BUILDER_AT,
    ],
  ])('%s is a CAPABILITY_MISSING error', (_name, o, message, location) => {
    const error = errorOf(() => check(o));
    expect(error).toMatchObject({ code: 'CAPABILITY_MISSING', ...location });
    expect(error.message).toMatch(message);
  });

  it.each<[string, InputsOptions]>([
    ['a local builder with a registry', { stack: { containerRegistry: REGISTRY } }],
    ['a remote builder with registry and store, at a listed platform', { pipeline: { ...INCLUDE_ONLY, build_config: { build_options: { platform: 'linux/arm64' } } }, stack: REMOTE_STACK }],
    ['a builder that lists no platforms builds any asked for', { pipeline: { build_config: { build_options: { platform: 'linux/s390x' } } } }],
  ])('passes: %s', (_name, o) => {
    expect(check(o)).toEqual([]);
  });

  it('a remote builder that pushes but cannot keep secrets is one plan warning, where it is configured', () => {
    expect(check({ pipeline: INCLUDE_ONLY, stack: REMOTE_STACK })).toEqual([]);
    const warnings = check({ pipeline: INCLUDE_ONLY, stack: { ...REMOTE_STACK, imageBuilder: remoteBuilder({ capabilities: { ...REMOTE_CAPABILITIES, secrets: false } }) } });
    expect(warnings).toEqual([
      { message: expect.stringMatching(/^stack "default": the aws-codebuild image builder pushes from the build service but cannot keep secrets: a registry login/), ...BUILDER_AT },
    ]);
  });

  it('an option the builder does not honour is a warning at the build options', () => {
    const warnings = check({ pipeline: { ...INCLUDE_ONLY, build_config: { build_options: { network_mode: 'host', buildargs: { A: '1' }, nocache: true } } }, stack: REMOTE_STACK });
    expect(warnings).toEqual([
      { message: 'image pipeline: the aws-codebuild image builder ignores build options network, noCache', file: 'stowage.yaml', line: 1, keyPath: 'settings.docker.build_config.build_options' },
    ]);
  });
});

describe("checkCapabilities: the builder's check() findings", () => {
  const withCheck = (findings: readonly Finding[], seen: BuildCheck[] = []): InputsOptions => ({
    pipeline: { build_config: { build_options: { target: 'runtime' }, builder_options: { local: { cache: 'max' } } } },
    stack: {
      imageBuilder: localBuilder({
        platform: 'linux/amd64',
        check: (build) => {
          seen.push(build);
          return findings;
        },
      }),
    },
  });

  it('sees each planned build: name, typed options, its own builder_options, platform', () => {
    const seen: BuildCheck[] = [];
    check(withCheck([], seen));
    expect(seen).toEqual([{ imageName: expect.stringMatching(/^stowage:training-[0-9a-f]{12}$/), options: { target: 'runtime' }, builderOptions: { cache: 'max' }, platform: 'linux/amd64' }]);
  });

  it('a warning finding becomes a plan warning at the build options', () => {
    expect(check(withCheck([{ severity: 'warning', message: 'cache mode max is slow' }]))).toEqual([
      { message: 'image pipeline: cache mode max is slow', file: 'stowage.yaml', line: 1, keyPath: 'settings.docker.build_config.build_options' },
    ]);
  });

  it('an error finding stops the plan, with its hint', () => {
    const error = errorOf(() => check(withCheck([{ severity: 'error', message: 'target runtime is unknown', hint: 'use one of: base, app' }])));
    expect(error).toMatchObject({ code: 'CAPABILITY_MISSING', message: 'image pipeline: target runtime is unknown', hint: 'use one of: base, app', keyPath: 'settings.docker.build_config.build_options' });
  });
});
