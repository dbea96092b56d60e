import type { CodeCheckoutState, CodeStrategy, PlanStack } from '../model/plan.js';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';

type CodeFlags = Pick<
  ResolvedDockerSettings,
  | 'allow_download_from_code_repository'
  | 'allow_download_from_artifact_store'
  | 'allow_including_files_in_images'
  | 'local_project_install_command'
>;

export interface CodeDecision {
  /** `unavailable`: the flags allow only downloads and none is possible — a plan error; `reason` says why each is not. */
  strategy: CodeStrategy | 'unavailable';
  reason: string;
}

/**
 * How an image gets the pipeline code (ZenML §3.2), in order of preference: download from a
 * clean, pushed code repository checkout; download from the artifact store; include in the
 * image. Departure: an artifact store only counts when containers can reach it (a local folder
 * cannot serve code to a container built elsewhere), so a local store falls through to include.
 */
export function decideCodeStrategy(
  settings: CodeFlags,
  codeRepository: CodeCheckoutState | null,
  stack: Pick<PlanStack, 'artifactStore' | 'codeRepositories'>,
): CodeDecision {
  if (settings.local_project_install_command) {
    if (!settings.allow_including_files_in_images) {
      return { strategy: 'none', reason: 'local_project_install_command needs included files, which are not allowed' };
    }
    return { strategy: 'include', reason: 'local_project_install_command needs the code in the image' };
  }
  const skipped: string[] = [];
  if (settings.allow_download_from_code_repository) {
    const blocker = repositoryBlocker(codeRepository, stack);
    if (!blocker) {
      return { strategy: 'code-repository', reason: `download commit ${codeRepository!.commit.slice(0, 12)} from the code repository ${codeRepository!.repository}` };
    }
    skipped.push(blocker);
  }
  if (settings.allow_download_from_artifact_store) {
    if (stack.artifactStore?.reachableFromContainers) {
      return { strategy: 'artifact-store', reason: `upload an archive to the ${stack.artifactStore.flavor} artifact store` };
    }
    skipped.push(
      stack.artifactStore
        ? `the ${stack.artifactStore.flavor} artifact store is not reachable from containers`
        : 'the stack has no artifact store',
    );
  }
  if (settings.allow_including_files_in_images) {
    return { strategy: 'include', reason: skipped.length ? `copied into the image (${skipped.join('; ')})` : 'copied into the image' };
  }
  if (skipped.length) {
    // ZenML raises here: only download strategies are allowed, and none is possible.
    return { strategy: 'unavailable', reason: skipped.join('; ') };
  }
  return { strategy: 'none', reason: 'all code flags are false: the image must already hold the code at /app' };
}

function repositoryBlocker(ctx: CodeCheckoutState | null, stack: Pick<PlanStack, 'codeRepositories'>): string | undefined {
  if (!stack.codeRepositories.length) return 'no code repository is registered (code_repositories:)';
  if (!ctx) return 'the source root is not in a checkout of a registered code repository';
  if (ctx.isDirty) return 'the checkout has uncommitted or untracked files';
  if (!ctx.isPushed) return `commit ${ctx.commit.slice(0, 12)} is not pushed to the code repository`;
  return undefined;
}
