import { stringify } from 'yaml';
import type { BuildOptions } from '@stowage/plugin-api';
import { dockerBuildCommand, shellWord } from './dockerBuildCommand.js';

export interface BuildspecInput {
  imageName: string;
  options: BuildOptions;
  push: boolean;
  loginCommands: readonly string[];
}

/**
 * The buildspec (0.2) of one image: log in (pre_build), build and push (build). The push is in the
 * BUILD phase, not POST_BUILD as in ZenML: POST_BUILD runs after a failed BUILD too, and would then
 * push a stale or missing image.
 */
export function renderBuildspec(input: BuildspecInput): string {
  const build = [dockerBuildCommand(input.imageName, input.options), ...(input.push ? [`docker push ${shellWord(input.imageName)}`] : [])];
  const phases = {
    ...(input.loginCommands.length ? { pre_build: { commands: [...input.loginCommands] } } : {}),
    build: { commands: build },
  };
  return stringify({ version: 0.2, phases }, { lineWidth: 0 });
}
