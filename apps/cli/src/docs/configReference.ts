import { z } from 'zod';
import {
  DockerBuildConfigSchema,
  DockerSettingsSchema,
  PipelineInfoSchema,
  ProjectConfigSchema,
  stackConfigSchema,
  StepConfigSchema,
  ZENML_STEP_CONFIG_KEYS,
} from '@stowage/core';

interface JsonSchemaNode {
  type?: string | string[];
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  items?: JsonSchemaNode;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  const?: unknown;
  pattern?: string;
}

/**
 * The values of an enum that takes any case: its JSON Schema is a pattern spelling each letter's
 * cases out (`^(?:[uU][vV]|[pP][iI][pP])$`), shown here as the values it stands for.
 */
function anyCaseValues(pattern: string | undefined): string[] | undefined {
  const m = /^\^\(\?:(.*)\)\$$/.exec(pattern ?? '');
  if (!m) return undefined;
  const values = m[1]!.split('|').map((alt) => alt.replace(/\[(.)(.)\]/g, (_, lower: string) => lower).replace(/\\(.)/g, '$1'));
  return values.every((v) => /^[a-z0-9_.-]+$/.test(v)) ? values : undefined;
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const anyCase = node.type === 'string' ? anyCaseValues(node.pattern) : undefined;
  if (anyCase) return `${anyCase.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ')} (any case)`;
  if (node.anyOf) return [...new Set(node.anyOf.map(typeOf))].join(' \\| ');
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'any'}`;
  if (node.type === 'object') return node.properties ? 'mapping (see below)' : 'mapping';
  if (Array.isArray(node.type)) return node.type.join(' \\| ');
  return node.type ?? 'any';
}

function row(key: string, node: JsonSchemaNode): string {
  const def = node.default === undefined ? '' : `\`${JSON.stringify(node.default)}\``;
  const description = (node.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return `| \`${key}\` | ${typeOf(node)} | ${def} | ${description} |`;
}

function table(schema: z.ZodType, skip: readonly string[] = []): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const lines = ['| key | type | default | description |', '| --- | --- | --- | --- |'];
  for (const [key, node] of Object.entries(json.properties ?? {})) if (!skip.includes(key)) lines.push(row(key, node));
  return lines.join('\n');
}

/** The config reference section of the README, generated from the zod schemas. */
export function configReference(): string {
  const zenmlOnly = ProjectConfigSchema.shape;
  const projectKeys = ['pipeline', 'settings', 'steps', 'build', 'plugins', 'stacks', 'active_stack'];
  const ignored = Object.keys(zenmlOnly).filter((k) => !projectKeys.includes(k));
  return [
    '#### stowage.yaml (top level)',
    '',
    table(ProjectConfigSchema, ignored),
    '',
    `ZenML run-configuration keys that Stowage accepts and ignores (one warning each): ${ignored.map((k) => `\`${k}\``).join(', ')}. Settings keys other than \`docker\` (\`resources\`, \`orchestrator.<flavor>\`, …) are ignored the same way.`,
    '',
    '#### `pipeline`',
    '',
    table(PipelineInfoSchema),
    '',
    '#### `steps.<name>`',
    '',
    table(StepConfigSchema, ZENML_STEP_CONFIG_KEYS),
    '',
    `ZenML step keys accepted and ignored: ${ZENML_STEP_CONFIG_KEYS.map((k) => `\`${k}\``).join(', ')}.`,
    '',
    '#### `stacks.<name>`',
    '',
    table(stackConfigSchema()),
    '',
    'Each component is `{ flavor: <name>, …flavor config }`; the flavor config keys are listed by `stowage schema` and in each plugin\'s README.',
    '',
    '#### `settings.docker` / `steps.<name>.settings.docker` (DockerSettings)',
    '',
    table(DockerSettingsSchema),
    '',
    '#### `build_config` / `parent_image_build_config`',
    '',
    table(DockerBuildConfigSchema),
  ].join('\n');
}
