import { DOCKER_CLI_BUILD_OPTIONS, dockerBuildFlags, type BuildOptions } from '@stowage/plugin-api';

/** The BuildOptions the build step's `docker build` honours (flags both the classic builder and BuildKit accept). */
export const HONOURED_BUILD_OPTIONS = DOCKER_CLI_BUILD_OPTIONS;

/**
 * The args of the builder's `docker build`, as ZenML's step (`build --network=<network> -t <image>
 * .`) but with every option before the context path (ZenML appends them after it). A `network`
 * build option wins over the configured network.
 */
export function dockerBuildArgs(imageName: string, network: string, options: BuildOptions): string[] {
  return ['build', `--network=${options.network ?? network}`, '-t', imageName, ...dockerBuildFlags(options, ['network']), '.'];
}
