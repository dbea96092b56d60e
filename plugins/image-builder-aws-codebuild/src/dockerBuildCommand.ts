import { DOCKER_CLI_BUILD_OPTIONS, dockerBuildFlags, type BuildOptions } from '@stowage/plugin-api';

/** The BuildOptions the buildspec's `docker build` honours (flags both the classic builder and BuildKit accept). */
export const HONOURED_BUILD_OPTIONS = DOCKER_CLI_BUILD_OPTIONS;

/** A word for `/bin/sh`: single-quoted unless it is plainly safe. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `docker build <options> --tag <image> .`: every option before the context path (ZenML put them after it). */
export function dockerBuildCommand(imageName: string, options: BuildOptions): string {
  return ['docker', 'build', ...dockerBuildFlags(options), '--tag', imageName, '.'].map(shellWord).join(' ');
}
