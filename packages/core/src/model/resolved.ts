import type { BuildOptions } from '@stowage/plugin-api';
import type { ResolvedDockerSettings } from '../settings/DockerSettingsSchema.js';
import type { FieldOrigin } from './origin.js';

/** Where each resolved field came from: `of('requirements')`, `of('build_config', 'dockerignore')`. */
export interface SettingsOrigins {
  of(field: string, ...subPath: (string | number)[]): FieldOrigin;
}

/** The settings one image is planned from, with typed build options and every field's origin. */
export interface ResolvedStep {
  /** The pipeline step, or `pipeline` for the pipeline's own settings. */
  name: string;
  command?: string | string[];
  settings: ResolvedDockerSettings;
  /** `build_config.build_options` and `parent_image_build_config.build_options`, typed. */
  buildOptions: { generated: BuildOptions; dockerfile: BuildOptions };
  origins: SettingsOrigins;
}
