import { StowageError, type BuildOptionField, type Warning } from '@stowage/plugin-api';
import { locationOf, type FieldOrigin } from '../model/origin.js';
import type { PlanStack } from '../model/plan.js';
import type { BuildDraft, ImageDraft } from './planImage.js';

const SUPPORTED_STAGING_FORMATS = new Set(['tar', 'tar.gz', 'zip']);

/**
 * Holds the plan to what the stack's components said they can do (their `describe()`), so a
 * builder that cannot push, a platform it cannot build or a missing artifact store is a plan
 * error (exit 2) and not a surprise half-way through a build. Returns warnings.
 */
export function checkCapabilities(images: readonly ImageDraft[], stack: PlanStack): Warning[] {
  checkStack(stack);
  const warnings: Warning[] = secretsWarnings(stack);
  for (const image of images) {
    for (const build of image.builds) warnings.push(...checkBuild(image, build, stack));
  }
  return warnings;
}

function checkStack(stack: PlanStack): void {
  const builder = stack.imageBuilder;
  const at = stack.componentOrigins.image_builder;
  const fail = (message: string, hint: string) => {
    throw new StowageError(`stack "${stack.name}": ${message}`, { code: 'CAPABILITY_MISSING', ...locationOf(at), hint });
  };
  if (stack.containerRegistry && builder.capabilities.push === 'none') {
    fail(`the ${builder.flavor} image builder cannot push, but the stack has a container registry`, 'use an image builder that pushes, or remove the container_registry');
  }
  if (builder.remote && !stack.containerRegistry) {
    fail(`the ${builder.flavor} image builder builds remotely, so its images must go to a container registry`, 'add a container_registry to the stack');
  }
  const format = builder.capabilities.stagesContext;
  if (format && !stack.artifactStore) fail(`the ${builder.flavor} image builder reads its build context from the artifact store, but the stack has none`, 'add an artifact_store to the stack');
  if (format && !SUPPORTED_STAGING_FORMATS.has(format)) fail(`the ${builder.flavor} image builder wants its context as ${format}, which this Stowage cannot write`, 'upgrade @stowage/core');
}

/**
 * A builder that pushes from somewhere else gets the registry's login to push with. One that does
 * not declare `secrets` cannot keep it from the build service (its logs, its stored build
 * definition): said once per plan, where the builder is configured.
 */
function secretsWarnings(stack: PlanStack): Warning[] {
  const builder = stack.imageBuilder;
  if (!builder.remote || builder.capabilities.push !== 'in-build' || !stack.containerRegistry || builder.capabilities.secrets) return [];
  return [
    {
      message: `stack "${stack.name}": the ${builder.flavor} image builder pushes from the build service but cannot keep secrets: a registry login it needs reaches that service as a plain value (use a registry the service may push to without a login, or a builder that keeps secrets)`,
      ...locationOf(stack.componentOrigins.image_builder),
    },
  ];
}

function checkBuild(image: ImageDraft, build: BuildDraft, stack: PlanStack): Warning[] {
  const builder = stack.imageBuilder;
  const config = build.role === 'dockerfile' ? 'parent_image_build_config' : 'build_config';
  const optionsAt = image.resolved.origins.of(config, 'build_options');
  const platforms = builder.capabilities.platforms;
  if (build.platform && platforms.length && !platforms.includes(build.platform)) {
    const at = build.options.platform ? image.resolved.origins.of(config, 'build_options', 'platform') : stack.componentOrigins.image_builder;
    throw new StowageError(`image ${image.key}: the ${builder.flavor} image builder cannot build for ${build.platform}`, {
      code: 'CAPABILITY_MISSING',
      ...locationOf(at),
      hint: `it builds for ${platforms.join(', ')}`,
    });
  }
  const warnings = ignoredOptions(image, build, stack, optionsAt);
  for (const finding of builder.check?.({ imageName: build.imageName, options: build.options, builderOptions: build.builderOptions, platform: build.platform }) ?? []) {
    const message = `image ${image.key}: ${finding.message}`;
    if (finding.severity === 'error') throw new StowageError(message, { code: 'CAPABILITY_MISSING', ...locationOf(optionsAt), hint: finding.hint });
    warnings.push({ message, ...locationOf(optionsAt) });
  }
  return warnings;
}

function ignoredOptions(image: ImageDraft, build: BuildDraft, stack: PlanStack, at: FieldOrigin): Warning[] {
  const honoured = new Set<BuildOptionField>(stack.imageBuilder.capabilities.buildOptions);
  const ignored = (Object.keys(build.options) as BuildOptionField[]).filter((f) => build.options[f] !== undefined && !honoured.has(f));
  if (!ignored.length) return [];
  return [{ message: `image ${image.key}: the ${stack.imageBuilder.flavor} image builder ignores build options ${ignored.join(', ')}`, ...locationOf(at) }];
}
