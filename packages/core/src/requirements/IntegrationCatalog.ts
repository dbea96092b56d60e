import { StowageError } from '@stowage/plugin-api';
import type { IntegrationDefinition } from '@stowage/plugin-api';
import { suggestClosest } from '../settings/suggestClosest.js';

export interface IntegrationSelection {
  /** Union of the integrations' requirements, de-duplicated and sorted (as ZenML). */
  requirements: string[];
  /** apt packages, de-duplicated in first-seen order. */
  aptPackages: string[];
}

/** Integration name → requirements; names are case-insensitive (`PYTORCH` = `pytorch`). */
export class IntegrationCatalog {
  private readonly byName = new Map<string, IntegrationDefinition & { contributedBy: string }>();

  add(definition: IntegrationDefinition, contributedBy: string): void {
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

  select(names: readonly string[], keyPath: string): IntegrationSelection {
    const requirements = new Set<string>();
    const apt: string[] = [];
    names.forEach((raw, i) => {
      const found = this.byName.get(raw.toLowerCase());
      if (!found) {
        const close = suggestClosest(raw, this.byName.keys(), 3);
        throw new StowageError(`unknown integration "${raw}"`, {
          code: 'INTEGRATION_UNKNOWN',
          keyPath: `${keyPath}[${i}]`,
          hint: close.length
            ? `did you mean ${close.map((c) => `"${c}"`).join(', ')}? (\`stowage integrations list\` shows all)`
            : 'run `stowage integrations list` to see the available integrations',
        });
      }
      for (const r of found.requirements) requirements.add(r);
      for (const p of found.aptPackages ?? []) if (!apt.includes(p)) apt.push(p);
    });
    return { requirements: [...requirements].sort(), aptPackages: apt };
  }
}
