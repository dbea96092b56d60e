import type { PreviousImage } from '../model/plan.js';
import type { InputValues } from '../model/inputChanges.js';
import type { BuildImage, PipelineBuild } from '../model/PipelineBuild.js';

/** The built or reused images of a pipeline's recorded builds, as the planner sees them. */
export function previousImagesOf(builds: readonly PipelineBuild[], pipeline: string): PreviousImage[] {
  return builds
    .filter((b) => b.pipeline === pipeline)
    .flatMap((b) => [
      ...b.images
        .filter((i) => i.action === 'built' || i.action === 'reused')
        .map((i) => ({
          buildId: b.id,
          created: b.created,
          stackName: b.stack.name,
          stackChecksum: b.stack.checksum,
          key: i.key,
          checksum: i.checksum,
          checksumInputs: i.checksumInputs,
          imageName: i.imageName,
          imageReference: i.imageReference,
          imageId: i.imageId,
          values: recordedValues(b, i),
        })),
      ...b.images.flatMap((i) => (i.dependencyImage ? [dependencyOf(b, i, i.dependencyImage)] : [])),
    ]);
}

/** The dependency image of an image whose code was appended: reusable by its own checksum. */
function dependencyOf(build: PipelineBuild, image: BuildImage, deps: NonNullable<BuildImage['dependencyImage']>): PreviousImage {
  return {
    buildId: deps.reusedFrom ?? build.id,
    created: build.created,
    stackName: build.stack.name,
    stackChecksum: build.stack.checksum,
    key: `${image.key}${DEPENDENCY_KEY_SUFFIX}`,
    checksum: deps.checksum,
    checksumInputs: deps.checksumInputs,
    imageName: deps.imageName,
    imageReference: deps.imageReference,
  };
}

/** Key of a recorded dependency image among the previous images (`train/dependencies`). */
export const DEPENDENCY_KEY_SUFFIX = '/dependencies';

/** What a record keeps of an image's input values (requirement texts are in every record; the rest in newer ones). */
function recordedValues(build: PipelineBuild, image: BuildImage): InputValues {
  const context = image.checksumInputs.context;
  return {
    settings: image.settingValues,
    requirements: Object.fromEntries(image.requirements.map((r) => [r.name, r.content])),
    context: context ? build.contextFiles?.[context] : undefined,
  };
}
