import { StowageError } from '@stowage/plugin-api';

export const DEFAULT_REPOSITORY = 'stowage';
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** ZenML's `sanitize_tag`: keep [A-Za-z0-9_.-], no leading `-`/`.`, at most 128 characters. */
export function sanitizeTag(tag: string): string {
  let out = tag.replace(/[^a-zA-Z0-9_.-]/g, '');
  out = out.replace(/^[-.]/, '_');
  if (!out) throw new StowageError('Docker image tag cannot be empty', { code: 'SETTINGS_INVALID', hint: 'use a pipeline or step name with letters or digits' });
  return out.slice(0, 128);
}

/** A user-given `image_tag` is used verbatim (as ZenML does), but must be a legal tag. */
export function assertValidTag(tag: string, keyPath: string): string {
  if (!TAG.test(tag)) {
    throw new StowageError(`"${tag}" is not a valid image tag`, {
      code: 'SETTINGS_INVALID',
      keyPath,
      hint: 'a tag has up to 128 of [A-Za-z0-9_.-] and does not start with `.` or `-`',
    });
  }
  return tag;
}

export interface NamingInputs {
  pipelineName: string;
  stepName?: string;
  checksum: string;
  imageTag?: string;
  targetRepository?: string;
  registry?: { uri: string; defaultRepository?: string };
  /** Appended to the generated tag, e.g. `intermediate` for the image built from a Dockerfile. */
  suffix?: string;
  /** Stays on the builder's engine: no `<registry uri>/` prefix (the repository is chosen as usual). */
  local?: boolean;
}

/** The content-addressed tag: `<pipeline>[-<step>]-<12 hex of the checksum>`. */
export function defaultTag(n: Pick<NamingInputs, 'pipelineName' | 'stepName' | 'checksum' | 'suffix'>): string {
  const hex = n.checksum.replace(/^sha256:/, '').slice(0, 12);
  const stem = sanitizeTag([n.pipelineName, n.stepName].filter(Boolean).join('-'));
  return sanitizeTag(`${stem.slice(0, 128 - 14 - (n.suffix ? n.suffix.length + 1 : 0))}-${hex}${n.suffix ? `-${n.suffix}` : ''}`);
}

/** `<registry uri>/<repository>:<tag>`; repository = target_repository, else the registry default, else `stowage`. */
export function imageName(n: NamingInputs): string {
  const repository = n.targetRepository ?? n.registry?.defaultRepository ?? DEFAULT_REPOSITORY;
  const tag = n.imageTag && !n.suffix ? n.imageTag : defaultTag(n);
  const uri = n.local ? undefined : n.registry?.uri.replace(/\/+$/, '');
  return `${uri ? `${uri}/` : ''}${repository}:${tag}`;
}
