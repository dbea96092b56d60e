/** Where a resolved value came from: what any later error about it points at. */
export interface FieldOrigin {
  file?: string;
  line?: number;
  /** `steps.train.settings.docker.requirements`; for a default, where it would be written. */
  keyPath: string;
  /** `pipeline`, `step <name>`, `stack <name>`, or `default` when nobody set it. */
  level: string;
}

/** The location fields of a StowageError or Warning, from an origin. */
export function locationOf(origin: FieldOrigin | undefined): { file?: string; line?: number; keyPath?: string } {
  if (!origin) return {};
  return { file: origin.file, line: origin.line, keyPath: origin.keyPath };
}
