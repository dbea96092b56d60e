import type { DockerSettingsInput } from '../src/settings/DockerSettingsSchema.js';
import { settingsKey } from '../src/plan/planBuild.js';
import type { GatheredInputs, PlanInputs, PlanStack, RequirementFile } from '../src/plan/types.js';
import { settings } from './settingsFixture.js';

export const LOCAL_STACK: PlanStack = {
  name: 'default',
  checksum: 'sha256:stack',
  imageBuilder: { flavor: 'local', remote: false },
  artifactStore: { flavor: 'local', remote: false },
  requirements: [],
  aptPackages: [],
  extraRequirementFiles: {},
};

/** Gathered inputs as gather would produce them for simple settings (user requirements list only). */
function gatheredFor(s: ReturnType<typeof settings>, extra: Partial<GatheredInputs>, stack: PlanStack): GatheredInputs {
  const files: RequirementFile[] = [];
  if (s.install_stack_requirements && stack.requirements.length) files.push({ name: '.stowage_stack_requirements', source: 'stack', content: `${stack.requirements.join('\n')}\n` });
  if (Array.isArray(s.requirements) && s.requirements.length) files.push({ name: '.stowage_user_requirements', source: 'user', content: `${s.requirements.join('\n')}\n` });
  return { requirementFiles: files, integrationAptPackages: [], sourceDigest: 'sha256:src-1', userDockerfile: s.dockerfile ? { path: s.dockerfile, content: 'FROM base:1\nRUN echo hi\n' } : undefined, ...extra };
}

export interface InputsOptions {
  pipeline?: DockerSettingsInput;
  steps?: Record<string, DockerSettingsInput | undefined>;
  stack?: Partial<PlanStack>;
  gathered?: Partial<GatheredInputs>;
  rest?: Partial<PlanInputs>;
}

/** PlanInputs for pure planner tests: step settings are pipeline settings overlaid field-wise. */
export function planInputs(o: InputsOptions = {}): PlanInputs {
  const stack = { ...LOCAL_STACK, ...o.stack };
  const pipeline = settings(o.pipeline ?? {});
  const steps = Object.entries(o.steps ?? { train: undefined }).map(([name, s]) => ({ name, settings: settings({ ...(o.pipeline ?? {}), ...(s ?? {}) }) }));
  const gathered: Record<string, GatheredInputs> = {};
  for (const s of [pipeline, ...steps.map((x) => x.settings)]) gathered[settingsKey(s)] = gatheredFor(s, o.gathered ?? {}, stack);
  return {
    pipelineName: 'training',
    pythonVersion: '3.11',
    projectRoot: '/proj',
    sourceRoot: '/proj',
    stack,
    pipelineSettings: pipeline,
    steps,
    gathered,
    codeRepository: null,
    previousImages: [],
    ...o.rest,
  };
}
