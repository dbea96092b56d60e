import type { PreviousImage } from '../model/plan.js';
import type { InputValues } from '../model/inputChanges.js';
import type { BuildImage, PipelineBuild } from '../model/PipelineBuild.js';

/** The built or reused images of a pipeline's recorded builds, as the planner sees them. */
export function previousImagesOf(builds: readonly PipelineBuild[], pipeline: string): PreviousImage[] {
  return builds
    .filter((b) => b.pipeline === pipeline)
    .flatMap((b) =>
      b.images
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
    );
}

/** What a record keeps of an image's input values (requirement texts are in every record; the rest in newer ones). */
function recordedValues(build: PipelineBuild, image: BuildImage): InputValues {
  const context = image.checksumInputs.context;
  return {
    settings: image.settingValues,
    requirements: Object.fromEntries(image.requirements.map((r) => [r.name, r.content])),
    context: context ? build.contextFiles?.[context] : undefined,
  };
}
