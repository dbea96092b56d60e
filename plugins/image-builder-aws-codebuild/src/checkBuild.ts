import type { BuildCheck, Finding } from '@stowage/plugin-api';
import { checkSecrets } from './checkSecrets.js';
import type { AwsCodeBuildImageBuilderConfig } from './config.js';

/** The platform of a LINUX_CONTAINER build (the one environment type this builder starts). */
export const CODEBUILD_PLATFORM = 'linux/amd64';

/** Plan-time findings: a platform CodeBuild's LINUX_CONTAINER cannot build, builder options it ignores, what it cannot keep secret. */
export function checkBuild(config: AwsCodeBuildImageBuilderConfig, build: BuildCheck): Finding[] {
  const findings: Finding[] = [];
  const platform = build.platform ?? build.options.platform;
  if (platform && platform !== CODEBUILD_PLATFORM) {
    findings.push({
      severity: 'error',
      message: `aws-codebuild builds ${CODEBUILD_PLATFORM} (LINUX_CONTAINER) only, not ${platform}`,
      hint: `drop the platform setting, or use another image builder for ${platform}`,
    });
  }
  const keys = Object.keys(build.builderOptions);
  if (keys.length) {
    findings.push({ severity: 'warning', message: `aws-codebuild takes no builder_options; ignored: ${keys.join(', ')}`, hint: 'remove build_config.builder_options.aws-codebuild' });
  }
  return [...findings, ...checkSecrets(config, build)];
}
