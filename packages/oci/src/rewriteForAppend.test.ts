import { describe, expect, it } from 'vitest';
import { StowageError } from '@stowage/plugin-api';
import type { ImageConfigJson, ImageIndexJson, ImageManifestJson } from './ImageManifest.js';
import { APPEND_HISTORY_COMMENT, appendToConfig, appendToIndex, appendToManifest } from './rewriteForAppend.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const LAYERS = [
  { digest: d(1), diffId: d(2), size: 10, createdBy: 'stowage: code layer src/ (3 files)' },
  { digest: d(3), diffId: d(4), size: 20, createdBy: 'stowage: code layer pkg/ (1 file)' },
];

const baseConfig = (): ImageConfigJson => ({
  architecture: 'amd64',
  os: 'linux',
  created: '2025-06-01T00:00:00Z',
  config: { Env: ['PATH=/usr/bin', 'LANG=C'], Labels: { a: '1', b: '2' }, WorkingDir: '/', Cmd: ['python'] },
  rootfs: { type: 'layers', diff_ids: [d(5)] },
  history: [{ created: '2025-06-01T00:00:00Z', created_by: 'ADD rootfs' }],
});

describe('appendToConfig', () => {
  it('appends diff_ids and one history entry per layer, dated as the base when no time is given, keeping every other field', () => {
    const config = appendToConfig(baseConfig(), LAYERS);
    expect(config.rootfs.diff_ids).toEqual([d(5), d(2), d(4)]);
    expect(config.history).toEqual([
      { created: '2025-06-01T00:00:00Z', created_by: 'ADD rootfs' },
      { created: '2025-06-01T00:00:00Z', created_by: LAYERS[0]!.createdBy, comment: APPEND_HISTORY_COMMENT },
      { created: '2025-06-01T00:00:00Z', created_by: LAYERS[1]!.createdBy, comment: APPEND_HISTORY_COMMENT },
    ]);
    expect(config).toMatchObject({ architecture: 'amd64', os: 'linux', created: '2025-06-01T00:00:00Z', config: { Cmd: ['python'], WorkingDir: '/' } });
  });

  it('sets created, merges labels, replaces env entries by NAME in place and appends new ones, sets workdir and user', () => {
    const config = appendToConfig(baseConfig(), LAYERS.slice(0, 1), {
      created: '2026-02-03T04:05:06Z',
      labels: { b: 'two', c: '3' },
      env: ['LANG=C.UTF-8', 'PYTHONPATH=/app', 'EMPTY='],
      workingDir: '/app',
      user: '1000:1000',
    });
    expect(config.created).toBe('2026-02-03T04:05:06Z');
    expect(config.history?.at(-1)).toEqual({ created: '2026-02-03T04:05:06Z', created_by: LAYERS[0]!.createdBy, comment: APPEND_HISTORY_COMMENT });
    expect(config.config).toEqual({
      Env: ['PATH=/usr/bin', 'LANG=C.UTF-8', 'PYTHONPATH=/app', 'EMPTY='],
      Labels: { a: '1', b: 'two', c: '3' },
      WorkingDir: '/app',
      User: '1000:1000',
      Cmd: ['python'],
    });
  });

  it.each([
    ['no config section, null Env/Labels (docker writes null)', { rootfs: { type: 'layers', diff_ids: [] } }],
    ['null Env and Labels', { config: { Env: null, Labels: null }, rootfs: { type: 'layers', diff_ids: [] } }],
  ])('builds Env and Labels from nothing when the base has %s, and history without a date when none is known', (_name, base) => {
    const config = appendToConfig(base as ImageConfigJson, LAYERS.slice(0, 1), { env: ['A=1'], labels: { l: 'v' } });
    expect(config.config).toMatchObject({ Env: ['A=1'], Labels: { l: 'v' } });
    expect(config.history).toEqual([{ created_by: LAYERS[0]!.createdBy, comment: APPEND_HISTORY_COMMENT }]);
  });

  it.each([['NOVALUE'], ['=value']])('refuses the env entry %j (USAGE, key path, the entry itself not quoted)', (entry) => {
    const error = (() => {
      try {
        appendToConfig(baseConfig(), [], { env: ['OK=1', entry] });
      } catch (e) {
        return e;
      }
    })();
    expect(StowageError.isInstance(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toBe('config.env[1] is not NAME=value');
  });

  it('does not change the base it was given', () => {
    const base = baseConfig();
    const copy = structuredClone(base);
    appendToConfig(base, LAYERS, { env: ['LANG=x'], labels: { a: 'z' } });
    expect(base).toEqual(copy);
  });
});

describe('appendToManifest', () => {
  const manifest = (mediaType: string, layerType: string): ImageManifestJson => ({
    schemaVersion: 2,
    mediaType,
    config: { mediaType: 'cfg', digest: d(6), size: 100 },
    layers: [{ mediaType: layerType, digest: d(7), size: 1000 }],
    annotations: { keep: 'me' },
  });

  it.each([
    ['Docker v2', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.image.rootfs.diff.tar.gzip'],
    ['OCI', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.layer.v1.tar+gzip'],
  ])('%s: the new layers take the base family’s gzip media type; the config descriptor and other fields follow', (_name, mediaType, layerType) => {
    const result = appendToManifest(manifest(mediaType, layerType), mediaType, { digest: d(8), size: 123 }, LAYERS);
    expect(result).toEqual({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'cfg', digest: d(8), size: 123 },
      layers: [{ mediaType: layerType, digest: d(7), size: 1000 }, ...LAYERS.map((l) => ({ mediaType: layerType, digest: l.digest, size: l.size }))],
      annotations: { keep: 'me' },
    });
  });

  it('refuses a manifest kind that has no layers (an index)', () => {
    expect(() => appendToManifest(manifest('x', 'y'), 'application/vnd.oci.image.index.v1+json', { digest: d(8), size: 1 }, LAYERS)).toThrow(/is not an image manifest/);
  });
});

describe('appendToIndex', () => {
  it('replaces each platform descriptor’s digest and size, keeps platform and annotations, and drops attestations', () => {
    const index: ImageIndexJson = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'm', digest: d(1), size: 1, platform: { os: 'linux', architecture: 'amd64' }, annotations: { x: 'y' } },
        { mediaType: 'm', digest: d(2), size: 2, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'm', digest: d(3), size: 3, platform: { os: 'unknown', architecture: 'unknown' } },
        { mediaType: 'm', digest: d(4), size: 4, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      ],
      annotations: { 'org.opencontainers.image.created': 'then' },
    };
    const replaced = new Map([
      [d(1), { digest: d(5), size: 50 }],
      [d(2), { digest: d(6), size: 60 }],
    ]);
    expect(appendToIndex(index, replaced)).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'm', digest: d(5), size: 50, platform: { os: 'linux', architecture: 'amd64' }, annotations: { x: 'y' } },
        { mediaType: 'm', digest: d(6), size: 60, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
      annotations: { 'org.opencontainers.image.created': 'then' },
    });
  });
});
