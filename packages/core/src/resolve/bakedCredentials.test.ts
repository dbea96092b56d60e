import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../config/loadProjectConfig.js';
import { IntegrationCatalog } from '../requirements/IntegrationCatalog.js';
import { resolveProject } from './resolveProject.js';

function warningsOf(yaml: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-baked-'));
  writeFileSync(join(dir, 'stowage.yaml'), yaml);
  return resolveProject(loadProjectConfig({ cwd: dir, env }), new IntegrationCatalog()).warnings.items.filter((w) => /baked into the image/.test(w.message));
}

const YAML = `pipeline: { name: p }
settings:
  docker:
    environment: { PIP_EXTRA_INDEX_URL: "https://bot:\${INDEX_PASSWORD}@pypi.example.com/simple", MODEL_DIR: "\${MODEL_DIR}" }
steps:
  train:
    settings:
      docker:
        runtime_environment: { HF_TOKEN: "\${HF_TOKEN}" }
`;

describe('a credential-looking ${VAR} baked into the image is warned about (the README example bakes HF_TOKEN)', () => {
  it('one warning per key that holds one, where it was written, pointing at build secrets', () => {
    const warnings = warningsOf(YAML, { INDEX_PASSWORD: 'pw-123456', HF_TOKEN: 'hf_abcdef', MODEL_DIR: '/models' });
    expect(warnings.map((w) => [w.keyPath, w.line])).toEqual([
      ['settings.docker.environment.PIP_EXTRA_INDEX_URL', 4],
      ['steps.train.settings.docker.runtime_environment.HF_TOKEN', 9],
    ]);
    expect(warnings[0]!.message).toMatch(/anyone who can pull the image can read it.*build secrets/);
    expect(warnings.map((w) => w.message).join('\n')).not.toMatch(/pw-123456|hf_abcdef/);
  });

  it('values from variables that do not look like credentials: no warning', () => {
    expect(warningsOf('pipeline: { name: p }\nsettings: { docker: { environment: { MODEL_DIR: "${MODEL_DIR}" } } }\n', { MODEL_DIR: '/models' })).toEqual([]);
  });
});
