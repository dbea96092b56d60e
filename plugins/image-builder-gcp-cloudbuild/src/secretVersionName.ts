import { StowageError } from '@stowage/plugin-api';
import { SECRET_VERSION_REFERENCE } from './config.js';

/**
 * The full version name Cloud Build's `availableSecrets` takes, `projects/<p>/secrets/<name>/versions/<v>`,
 * from the reference at config key `keyPath`: `<name>` is in `project` (the build's), the version
 * `latest` unless named.
 */
export function secretVersionName(reference: string, project: string, keyPath: string): string {
  const m = SECRET_VERSION_REFERENCE.exec(reference);
  if (!m) {
    throw new StowageError(`${keyPath} is not a Secret Manager secret: ${reference}`, { code: 'COMPONENT_CONFIG_INVALID', keyPath, hint: 'write `<name>` or `projects/<project>/secrets/<name>`, optionally with `/versions/<version>`' });
  }
  return `projects/${m[1] ?? project}/secrets/${m[2]}/versions/${m[3] ?? 'latest'}`;
}
