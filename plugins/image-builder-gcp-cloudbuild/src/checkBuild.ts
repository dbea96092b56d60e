import type { BuildCheck, Finding } from '@stowage/plugin-api';
import { checkSecrets } from './checkSecrets.js';

/** The platform Cloud Build's default workers build with `docker build` (x86-64 machines). */
export const CLOUD_BUILD_PLATFORM = 'linux/amd64';

/** Plan-time findings: a platform a Cloud Build worker's `docker build` cannot produce, builder options it ignores, what it cannot keep secret. */
export function checkBuild(_config: unknown, build: BuildCheck): Finding[] {
  const findings: Finding[] = [];
  const platform = build.platform ?? build.options.platform;
  if (platform && platform !== CLOUD_BUILD_PLATFORM) {
    findings.push({
      severity: 'error',
      message: `gcp-cloudbuild builds ${CLOUD_BUILD_PLATFORM} only (Cloud Build workers are x86-64), not ${platform}`,
      hint: `drop the platform setting, or use another image builder for ${platform}`,
    });
  }
  const keys = Object.keys(build.builderOptions);
  if (keys.length) {
    findings.push({ severity: 'warning', message: `gcp-cloudbuild takes no builder_options; ignored: ${keys.join(', ')}`, hint: 'remove build_config.builder_options.gcp-cloudbuild' });
  }
  return [...findings, ...checkSecrets(build)];
}
