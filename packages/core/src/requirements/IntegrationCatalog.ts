import { StowageError } from '@stowage/plugin-api';
import type { IntegrationDefinition } from '@stowage/plugin-api';
import { suggestClosest } from '../settings/suggestClosest.js';
import { pythonMatches, type CatalogIntegration } from './builtinIntegrations.js';

export interface IntegrationSelection {
  /** Union of the integrations' requirements, de-duplicated and sorted (as ZenML). */
  requirements: string[];
  /** apt packages, de-duplicated in first-seen order. */
  aptPackages: string[];
}

/** Integration name → requirements; names are case-insensitive (`PYTORCH` = `pytorch`). */
export class IntegrationCatalog {
  private readonly byName = new Map<string, CatalogIntegration & { contributedBy: string }>();

  add(definition: CatalogIntegration, contributedBy: string): void {
    const name = definition.name.toLowerCase();
    const existing = this.byName.get(name);
    if (existing) {
      throw new StowageError(`integration "${name}" is defined twice (by ${existing.contributedBy} and ${contributedBy})`, {
        code: 'PLUGIN_INVALID',
        plugin: contributedBy,
        hint: 'remove one of the two plugins from plugins:',
      });
    }
    this.byName.set(name, { ...definition, name, contributedBy });
  }

  list(): (IntegrationDefinition & { contributedBy: string })[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `pythonVersion` (X.Y) picks the requirements ZenML adds only for some Pythons (its client's; here the pipeline's). */
  select(names: readonly string[], keyPath: string, pythonVersion?: string): IntegrationSelection {
    const requirements = new Set<string>();
    const apt: string[] = [];
    names.forEach((raw, i) => {
      const found = this.byName.get(raw.toLowerCase());
      if (!found) throw unknownIntegration(raw, `${keyPath}[${i}]`, [...this.byName.keys()]);
      for (const r of found.requirements) requirements.add(r);
      for (const p of found.python ?? []) if (pythonVersion && pythonMatches(p.when, pythonVersion)) requirements.add(p.requirement);
      for (const p of found.aptPackages ?? []) if (!apt.includes(p)) apt.push(p);
    });
    return { requirements: [...requirements].sort(), aptPackages: apt };
  }
}

function unknownIntegration(raw: string, keyPath: string, known: string[]): StowageError {
  const close = suggestClosest(raw, known, 3);
  return new StowageError(`unknown integration "${raw}"`, {
    code: 'INTEGRATION_UNKNOWN',
    keyPath,
    hint: close.length
      ? `did you mean ${close.map((c) => `"${c}"`).join(', ')}? (\`stowage integrations list\` shows all)`
      : 'run `stowage integrations list` to see the available integrations',
  });
}
