import type { ResolvedDockerSettings } from './DockerSettingsSchema.js';

export interface RuleFinding {
  severity: 'error' | 'warning';
  /** The top-level settings field the finding is about. */
  field: string;
  message: string;
  hint?: string;
}

type Rule = (s: ResolvedDockerSettings) => RuleFinding | undefined;

// ZenML `_validate_skip_build`.
const skipBuildNeedsParent: Rule = (s) =>
  s.skip_build && !s.parent_image
    ? {
        severity: 'error',
        field: 'skip_build',
        message: '`skip_build: true` needs a `parent_image`: that image is used as-is to run the steps',
        hint: 'set `parent_image`, or remove `skip_build`',
      }
    : undefined;

// ZenML `_validate_code_files_included_if_installing_local_project`.
const localProjectNeedsFiles: Rule = (s) =>
  s.local_project_install_command && !s.allow_including_files_in_images
    ? {
        severity: 'error',
        field: 'local_project_install_command',
        message:
          '`local_project_install_command` needs the code files in the image, but `allow_including_files_in_images` is false',
        hint: 'set `allow_including_files_in_images: true`, or remove `local_project_install_command`',
      }
    : undefined;

// ZenML only logs this at build time; Stowage reports it when settings resolve.
const dockerfileIgnoresParent: Rule = (s) =>
  s.dockerfile && s.parent_image && !s.skip_build
    ? {
        severity: 'warning',
        field: 'parent_image',
        message: 'both `dockerfile` and `parent_image` are set: the parent image is ignored (the Dockerfile has its own FROM)',
      }
    : undefined;

const buildContextWithoutDockerfile: Rule = (s) =>
  s.build_context_root && !s.dockerfile
    ? {
        severity: 'warning',
        field: 'build_context_root',
        message: '`build_context_root` is only used with `dockerfile`; it is ignored',
      }
    : undefined;

const RULES: readonly Rule[] = [skipBuildNeedsParent, localProjectNeedsFiles, dockerfileIgnoresParent, buildContextWithoutDockerfile];

/** Cross-field rules over resolved settings (step 3 of shape → normalise → rules). Pure. */
export function settingsRules(settings: ResolvedDockerSettings): RuleFinding[] {
  return RULES.map((r) => r(settings)).filter((f): f is RuleFinding => f !== undefined);
}
