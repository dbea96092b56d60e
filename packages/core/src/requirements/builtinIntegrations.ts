import type { IntegrationDefinition } from '@stowage/plugin-api';
import { ZENML_INTEGRATIONS, type PythonSpecificRequirement, type ZenmlIntegration } from './zenmlIntegrations.js';

/** An integration of the catalog: requirements for every Python, and those only for some. */
export type CatalogIntegration = IntegrationDefinition & { python?: readonly PythonSpecificRequirement[] };

/**
 * The integrations core ships: ZenML's whole catalog (`zenmlIntegrations.ts`), with what an
 * integration's `get_requirements` appends from others (mlflow → numpy, pandas) folded in.
 * Plugins can contribute more through `definePlugin({ integrations })`.
 */
export const BUILTIN_INTEGRATIONS: readonly CatalogIntegration[] = ZENML_INTEGRATIONS.map(toDefinition);

function toDefinition(z: ZenmlIntegration): CatalogIntegration {
  const included = (z.includes ?? []).map((name) => ZENML_INTEGRATIONS.find((i) => i.name === name)!);
  const python = [...(z.python ?? []), ...included.flatMap((i) => i.python ?? [])];
  return {
    name: z.name,
    requirements: [...z.requirements, ...included.flatMap((i) => i.requirements)],
    ...(python.length ? { python } : {}),
    ...(z.aptPackages?.length ? { aptPackages: [...z.aptPackages] } : {}),
    description: `ZenML's ${z.name} integration (zenml-io/zenml src/zenml/integrations/${z.name}/__init__.py @ ${z.commit.slice(0, 12)})`,
  };
}

/** Whether a Python `X.Y` satisfies a condition like `<3.12`, `==3.8` or `!=3.8`. */
export function pythonMatches(when: string, version: string): boolean {
  const m = /^(<|<=|>|>=|==|!=)(\d+)\.(\d+)$/.exec(when);
  const v = /^(\d+)\.(\d+)/.exec(version);
  if (!m || !v) return false;
  const diff = Number(v[1]) - Number(m[2]) || Number(v[2]) - Number(m[3]);
  switch (m[1]) {
    case '<': return diff < 0;
    case '<=': return diff <= 0;
    case '>': return diff > 0;
    case '>=': return diff >= 0;
    case '==': return diff === 0;
    default: return diff !== 0;
  }
}
