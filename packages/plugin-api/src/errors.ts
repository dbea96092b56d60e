/**
 * The one error type Stowage raises. Recognised by a brand (not `instanceof`) so that it works
 * across duplicated package copies, as vercel/ai does with `isInstance`.
 */
const BRAND = Symbol.for('stowage.error');

/** Stable machine-readable error codes. Input/config errors exit 2, build failures exit 1. */
export type StowageErrorCode =
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'YAML_SYNTAX'
  | 'ENV_VAR_MISSING'
  | 'SETTINGS_INVALID'
  | 'DOCKERFILE_VALUE_UNSAFE'
  | 'DOCKERFILE_NOT_FOUND'
  | 'REQUIREMENTS_NOT_FOUND'
  | 'REQUIREMENTS_EXPORT_FAILED'
  | 'INTEGRATION_UNKNOWN'
  | 'STEP_UNKNOWN'
  | 'STACK_UNKNOWN'
  | 'STACK_INVALID'
  | 'PLUGIN_NOT_INSTALLED'
  | 'PLUGIN_INVALID'
  | 'FLAVOR_UNKNOWN'
  | 'COMPONENT_CONFIG_INVALID'
  | 'CONTEXT_INVALID'
  | 'CODE_UNAVAILABLE'
  | 'BUILD_NOT_FOUND'
  | 'BUILD_INVALID'
  | 'BUILD_FAILED'
  | 'BUILD_CANCELLED'
  | 'REGISTRY_FAILED'
  | 'ARTIFACT_STORE_FAILED'
  | 'ENGINE_UNAVAILABLE'
  | 'SUBPROCESS_FAILED'
  | 'CAPABILITY_MISSING'
  | 'USAGE';

const FAILURE_CODES: ReadonlySet<StowageErrorCode> = new Set([
  'BUILD_FAILED',
  'BUILD_CANCELLED',
  'REGISTRY_FAILED',
  'ARTIFACT_STORE_FAILED',
  'ENGINE_UNAVAILABLE',
]);

export interface StowageErrorOptions {
  code: StowageErrorCode;
  cause?: unknown;
  /** The config file the problem is in. */
  file?: string;
  /** Dotted key path inside that file, e.g. `steps.train.settings.docker.requirements`. */
  keyPath?: string;
  /** 1-based line of the key in the file, when known. */
  line?: number;
  /** The plugin (package name) the error came from. */
  plugin?: string;
  /** The stack component (`<stack>.<kind>`) the error came from. */
  component?: string;
  /** The plugin method that failed (`build`, `auth`, `put`, …), set by the host. */
  method?: string;
  /** What the user should do next. */
  hint?: string;
  /** Further detail lines (e.g. the last build log lines). */
  details?: string[];
}

export class StowageError extends Error {
  readonly [BRAND] = true;
  readonly code: StowageErrorCode;
  readonly file?: string;
  readonly keyPath?: string;
  readonly line?: number;
  readonly plugin?: string;
  readonly component?: string;
  readonly method?: string;
  readonly hint?: string;
  readonly details: string[];

  constructor(message: string, options: StowageErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StowageError';
    this.code = options.code;
    this.file = options.file;
    this.keyPath = options.keyPath;
    this.line = options.line;
    this.plugin = options.plugin;
    this.component = options.component;
    this.method = options.method;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  static isInstance(value: unknown): value is StowageError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** 2 for bad input or config, 1 for a failed build. */
  get exitCode(): 1 | 2 {
    return FAILURE_CODES.has(this.code) ? 1 : 2;
  }

  /** The user-facing text: location, message, details and hint, without a stack trace. */
  format(): string {
    const where = [this.file && (this.line ? `${this.file}:${this.line}` : this.file), this.keyPath]
      .filter(Boolean)
      .join(' ');
    const origin = [this.plugin && `plugin ${this.plugin}`, this.component && `component ${this.component}`, this.method && `method ${this.method}`]
      .filter(Boolean)
      .join(', ');
    const lines = [`error: ${where ? `${where}: ` : ''}${this.message}${origin ? ` (${origin})` : ''}`];
    for (const d of this.details) lines.push(`  ${d}`);
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

/** Wraps an unknown failure into a StowageError unless it already is one. */
export function toStowageError(
  error: unknown,
  fallback: Omit<StowageErrorOptions, 'cause'> & { message: string },
): StowageError {
  if (StowageError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const { message, ...options } = fallback;
  return new StowageError(`${message}: ${reason}`, { ...options, cause: error });
}
