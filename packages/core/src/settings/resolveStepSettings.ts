import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { raiseIssues, type ConfigIssue, type KeyPath } from '../config/ConfigIssue.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { WarningList } from '@stowage/plugin-api';
import type { ResolvedDockerSettings } from './DockerSettingsSchema.js';
import { normalizeSettingsLevel, type NormalizedLevel } from './normalizeSettings.js';
import { resolveSettings, type ResolvedSettings } from './resolveSettings.js';

export interface ResolvedStep {
  name: string;
  command?: string | string[];
  settings: ResolvedDockerSettings;
}

export interface ResolvedProjectSettings {
  pipeline: ResolvedDockerSettings;
  steps: ResolvedStep[];
  warnings: WarningList;
}

/**
 * Resolves the Docker settings of the pipeline and of every step (step over pipeline, code over
 * YAML, field-level deep merge), then checks that every path they name exists.
 */
export function resolveStepSettings(project: ProjectConfig): ResolvedProjectSettings {
  const warnings = new WarningList();
  warnings.addAll(project.warnings);
  const issues: ConfigIssue[] = [];
  const pipelineLevels = project.pipelineSettings.map(normalizeSettingsLevel);
  const collect = (r: ResolvedSettings, levels: NormalizedLevel[]): ResolvedDockerSettings => {
    issues.push(...r.issues);
    warnings.addAll(r.warnings);
    for (const l of levels) warnings.addAll(l.warnings);
    issues.push(...missingPaths(r, project.root));
    return r.settings;
  };
  const pipeline = collect(resolveSettings(pipelineLevels), pipelineLevels);
  const steps = project.steps.map((step) => {
    const stepLevels = step.settings.map(normalizeSettingsLevel);
    const levels = [...pipelineLevels, ...stepLevels];
    const settings = collect(resolveSettings(levels), stepLevels);
    return { name: step.name, command: step.command, settings };
  });
  if (issues.length) raiseIssues(dedupe(issues), project.source);
  return { pipeline, steps, warnings };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.source?.file}|${i.path.join('.')}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Paths in settings resolve against the config file's folder (ZenML used the CWD; see README). */
export function resolveSettingsPath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

function missingPaths(r: ResolvedSettings, root: string): ConfigIssue[] {
  const s = r.settings;
  const out: ConfigIssue[] = [];
  const check = (field: string, subPath: KeyPath, value: string | undefined, kind: 'file' | 'folder', what: string) => {
    if (!value) return;
    const abs = resolveSettingsPath(root, value);
    const ok = existsSync(abs) && (kind === 'file' ? statSync(abs).isFile() : statSync(abs).isDirectory());
    if (ok) return;
    const level = r.origins.get(field);
    out.push({
      path: [...(level?.path ?? []), field, ...subPath],
      message: `${what} ${abs} does not exist${existsSync(abs) ? ` or is not a ${kind}` : ''}`,
      hint: 'relative paths are resolved against the folder of the config file',
      source: level?.source,
    });
  };
  if (!s.skip_build) {
    check('dockerfile', [], s.dockerfile, 'file', 'Dockerfile');
    if (s.dockerfile) check('build_context_root', [], s.build_context_root, 'folder', 'build context root');
    check('pyproject_path', [], s.pyproject_path, 'file', 'pyproject file');
    if (typeof s.requirements === 'string') check('requirements', [], s.requirements, 'file', 'requirements file');
    check('build_config', ['dockerignore'], s.build_config?.dockerignore, 'file', '.dockerignore file');
    if (s.dockerfile)
      check('parent_image_build_config', ['dockerignore'], s.parent_image_build_config?.dockerignore, 'file', '.dockerignore file');
  }
  return out;
}
