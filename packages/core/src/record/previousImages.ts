import type { PreviousImage } from '../model/plan.js';
import type { PipelineBuild } from '../model/PipelineBuild.js';

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
        })),
    );
}
