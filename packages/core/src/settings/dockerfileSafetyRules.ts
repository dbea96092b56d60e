import type { ConfigIssue, KeyPath } from '../config/ConfigIssue.js';
import {
  aptPackage,
  envName,
  envValue,
  imageReference,
  installerArgs,
  repositoryName,
  runCommand,
  userName,
} from '../dockerfile/dockerfileValues.js';
import { StowageError } from '@stowage/plugin-api';
import { assertValidTag } from '../plan/imageNaming.js';
import { assertRequirementLine } from '../requirements/parseRequirementLines.js';
import { isPlainObject } from './camelCase.js';

type Check = (raw: Record<string, unknown>) => [KeyPath, () => unknown][];

const strings = (v: unknown): v is string => typeof v === 'string';

// Each check pairs a key path (relative to the settings mapping) with the validator the
// Dockerfile generator will apply (or, for requirement lines, the requirements file needs), so
// unsafe values fail at load time with file and line.
const CHECKS: Check[] = [
  (r) => (strings(r.parent_image) ? [[['parent_image'], () => imageReference('', r.parent_image as string)]] : []),
  (r) => (strings(r.image_tag) ? [[['image_tag'], () => assertValidTag(r.image_tag as string, '')]] : []),
  (r) => (strings(r.target_repository) ? [[['target_repository'], () => repositoryName('', r.target_repository as string)]] : []),
  (r) => (strings(r.user) ? [[['user'], () => userName('', r.user as string)]] : []),
  (r) => (strings(r.local_project_install_command) ? [[['local_project_install_command'], () => runCommand('', r.local_project_install_command as string)]] : []),
  (r) => (Array.isArray(r.requirements) ? r.requirements.map((line, i) => [['requirements', i], () => assertRequirementLine(String(line))] as [KeyPath, () => unknown]) : []),
  (r) => (Array.isArray(r.apt_packages) ? r.apt_packages.map((p, i) => [['apt_packages', i], () => aptPackage('', String(p))] as [KeyPath, () => unknown]) : []),
  (r) =>
    (['environment', 'runtime_environment'] as const).flatMap((field) =>
      isPlainObject(r[field])
        ? Object.entries(r[field]).flatMap(([k, v]) => [
            [[field, k], () => envName('', k)] as [KeyPath, () => unknown],
            [[field, k], () => envValue('', String(v))] as [KeyPath, () => unknown],
          ])
        : [],
    ),
  (r) =>
    isPlainObject(r.python_package_installer_args)
      ? [[['python_package_installer_args'], () => installerArgs('', r.python_package_installer_args as Record<string, string | number | boolean | null>)]]
      : [],
];

/** Values the Dockerfile could not hold safely, reported at their key path (load time, not build time). */
export function dockerfileSafetyIssues(raw: Record<string, unknown>, basePath: KeyPath): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const check of CHECKS) {
    for (const [path, validate] of check(raw)) {
      try {
        validate();
      } catch (error) {
        if (!StowageError.isInstance(error)) throw error;
        issues.push({ path: [...basePath, ...path], message: error.message, hint: error.hint });
      }
    }
  }
  return issues;
}
