import { raiseIssues, type ConfigIssue } from '../config/ConfigIssue.js';
import type { ProjectConfig } from '../config/loadProjectConfig.js';
import { suggestClosest } from '../settings/suggestClosest.js';
import type { IntegrationCatalog } from './IntegrationCatalog.js';

/**
 * Checks every `required_integrations` entry against the catalog where it was written, so an
 * unknown name is reported with its file, line and key path (and the closest names).
 */
export function checkIntegrationNames(project: ProjectConfig, catalog: IntegrationCatalog): void {
  const known = catalog.list().map((i) => i.name);
  const issues: ConfigIssue[] = [];
  const levels = [...project.pipelineSettings, ...project.steps.flatMap((s) => s.settings)];
  for (const level of levels) {
    const names = level.raw.required_integrations;
    if (!Array.isArray(names)) continue;
    names.forEach((name, i) => {
      if (typeof name !== 'string' || known.includes(name.toLowerCase())) return;
      const close = suggestClosest(name, known, 3);
      issues.push({
        path: [...level.path, 'required_integrations', i],
        message: `unknown integration "${name}"`,
        hint: close.length ? `did you mean ${close.map((c) => `"${c}"`).join(', ')}? (\`stowage integrations list\` shows all)` : 'run `stowage integrations list` to see the available integrations',
        source: level.source,
      });
    });
  }
  if (issues.length) raiseIssues(issues, project.source, 'INTEGRATION_UNKNOWN');
}
