import type { ComponentKind, DescriptionByKind, StowageFlavor } from '@stowage/plugin-api';
import type { StackComponentKey } from '../config/ProjectConfigSchema.js';
import type { FieldOrigin } from '../model/origin.js';
import type { PlanStack } from '../model/plan.js';

export interface ComposedComponent {
  key: StackComponentKey;
  /** Registered code repositories: their `name`. */
  name?: string;
  kind: ComponentKind;
  flavor: StowageFlavor;
  plugin: string;
  /** Parsed config (real values: reaches only the component). */
  config: unknown;
  /** The flavor's `describe(config)`. */
  description: DescriptionByKind[ComponentKind];
  /** Where its `flavor` is written. */
  origin: FieldOrigin;
  /** For printing: secret-typed values replaced by `***`. */
  redactedConfig: Record<string, unknown>;
  /** The secret values of its config. */
  secrets: string[];
}

export interface ComposedStack {
  name: string;
  /** True when no stack of this name is configured and the built-in default is used. */
  implicit: boolean;
  components: ComposedComponent[];
  /** The project's registered code repositories (`code_repositories:`), composed like components. */
  codeRepositories: ComposedComponent[];
  snapshot: PlanStack;
  /** Secret values of component configs, to redact from all output. */
  secrets: string[];
}
