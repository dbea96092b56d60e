import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildStore, type BuildImage, type PipelineBuild } from '@stowage/core';

export const DAY = 86_400_000;

/** A build record `ageMs` old, with images built (or reused) under the given names. */
export function buildRecord(n: number, pipeline: string, ageMs: number, images: { name: string; action?: BuildImage['action'] }[] = []): PipelineBuild {
  return {
    id: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    pipeline,
    stack: { name: 'default', checksum: 'sha256:s' },
    checksum: 'sha256:c',
    images: images.map((i, k) => ({
      key: `image${k}`,
      steps: [],
      action: i.action ?? 'built',
      imageName: i.name,
      imageReference: i.name,
      checksum: 'sha256:x',
      checksumInputs: { settings: {}, dockerfile: '', requirements: {}, parentImage: 'python:3.11-slim', builder: 'local', buildOptions: '' },
      dockerfiles: [],
      requirements: [],
      containsCode: false,
      codeStrategy: 'none',
    })),
    containsCode: false,
    isLocal: true,
    toolVersion: '0.1.0',
    pythonVersion: '3.11',
    created: new Date(Date.now() - ageMs).toISOString(),
    durationSeconds: 1,
  };
}

/** A project folder whose build store holds `builds`. */
export async function projectWith(builds: PipelineBuild[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-prune-'));
  writeFileSync(join(dir, 'stowage.yaml'), 'pipeline: { name: x }\n');
  const store = new BuildStore(join(dir, '.stowage'));
  for (const b of builds) await store.save(b);
  return dir;
}
