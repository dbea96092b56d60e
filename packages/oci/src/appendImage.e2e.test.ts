/**
 * appendImage against the real registries of the e2e harness, and docker itself as the judge: a
 * base image (Docker v2 and OCI) with two generated layers appended is pulled by docker, whose
 * container has the files of every layer with the owners and modes of their tar headers, and the
 * labels, env, working dir and user asked for. Then an index (both platforms appended, the
 * attestation dropped), a target in another repository (blobs mounted, nothing sent again), a
 * re-run (nothing sent), and an abort (no tag written or moved).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StowageError, parseImageReference, type ImageRef } from '@stowage/plugin-api';
import {
  MEDIA,
  appended,
  attestation,
  gzipLayer,
  platformDescriptor,
  pushTestImage,
  testImage,
  testIndex,
  type AppendedTestLayer,
  type ImageKind,
  type TestImage,
  type TestLayer,
} from './__fixtures__/appendTestImages.js';
import { E2EDocker } from './__fixtures__/E2EDocker.js';
import { e2eRegistries } from './__fixtures__/e2eRegistries.js';
import { appendImage, type AppendImageRequest } from './appendImage.js';
import { BearerTokenCache } from './BearerTokenAuth.js';
import { readImageFiles } from './readImageFiles.js';
import { RegistryApiClient } from './RegistryApiClient.js';
import { sha256Digest } from './sha256Digest.js';

const registries = await e2eRegistries('@stowage/oci appendImage');
const run = randomBytes(4).toString('hex');
const originalFetch = globalThis.fetch;
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\n';

const ref = (host: string, repository: string, tagOrDigest: string): ImageRef =>
  parseImageReference(`${host}/stowage-oci-e2e/${run}/${repository}${tagOrDigest.startsWith('sha256:') ? '@' : ':'}${tagOrDigest}`);
const repo = (name: string) => `stowage-oci-e2e/${run}/${name}`;

function openClient(host: string): RegistryApiClient {
  return new RegistryApiClient({ baseUrl: `http://${host}`, auth: async () => ({ type: 'anonymous' }), timeoutMs: 10_000, tokens: new BearerTokenCache() });
}

const baseLayer = (tag: string) =>
  gzipLayer([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', content: PASSWD },
    { name: 'etc/base-release', content: `base ${tag} ${run}\n` },
    { name: 'app/', type: 'directory' },
    { name: 'app/base.txt', content: 'hidden by the code layer\n' },
  ]);

/** The two code layers: owned by the app user, one whiting out a base file and replacing /etc/passwd. */
async function codeLayers(tag: string): Promise<[TestLayer, TestLayer]> {
  return [
    await gzipLayer([
      { name: 'app/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
      { name: 'app/main.py', content: `print("stowage ${tag} ${run}")\n`, mode: 0o640, uid: 1000, gid: 1000 },
    ]),
    // A layer carries the directories it adds to (as docker build's do): else overlay2 makes them root's, 0755.
    await gzipLayer([
      { name: 'app/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
      { name: 'app/run.sh', content: `#!/bin/sh\n# ${tag} ${run}\nexec python main.py\n`, mode: 0o755, uid: 1001, gid: 1002 },
      { name: 'app/.wh.base.txt' },
      { name: 'etc/passwd', content: `${PASSWD}app:x:1000:1000::/app:/bin/sh\n`, mode: 0o644 },
    ]),
  ];
}

const CONFIG = { labels: { 'org.example.code': run }, env: ['LANG=en_US.UTF-8', 'APP_HOME=/app'], workingDir: '/app', user: '1000:1000', created: '2026-03-04T05:06:07Z' };

describe.skipIf(!registries)('appendImage in the real registry, pulled by docker', () => {
  let host = '';
  let api: RegistryApiClient;
  let docker: E2EDocker;

  beforeAll(async () => {
    host = registries!.open;
    api = openClient(host);
    docker = new E2EDocker(registries!, run);
    await docker.assertEngine();
  });

  afterAll(async () => {
    await docker.cleanUp();
  });

  it.each(['docker', 'oci'] as const)('%s manifest: docker sees every layer’s files with their tar owners and modes, and the config asked for', async (kind: ImageKind) => {
    const base = testImage(kind, [await baseLayer(kind)]);
    const baseDigest = docker.pushedManifest(host, repo(`base-${kind}`), await pushTestImage(api, repo(`base-${kind}`), base, 'v1'));
    const [one, two] = await codeLayers(kind);
    const target = ref(host, `app-${kind}`, 'v1');
    const events: string[] = [];
    const result = await appendImage(api, {
      base: ref(host, `base-${kind}`, baseDigest),
      target,
      layers: [appended(one, 'stowage: code layer app/ (1 file)'), appended(two, 'stowage: code layer app/ (2 files)')],
      config: CONFIG,
      onLayer: (e) => events.push(`${e.digest}:${e.size}:${e.outcome}`),
    });
    docker.pushedManifest(host, target.repository, result.digest);
    expect(events.sort()).toEqual([`${one.digest}:${one.size}:uploaded`, `${two.digest}:${two.size}:uploaded`].sort());
    expect(result.manifests).toBe(1);
    expect(result.uploadedBytes).toBeGreaterThan(one.size + two.size);
    expect(await api.probeManifest(target.repository, 'v1')).toEqual({ presence: 'present', digest: result.digest });

    const manifest = JSON.parse(Buffer.from((await api.getManifest(target.repository, result.digest))!.bytes).toString()) as { mediaType: string; config: { digest: string }; layers: { mediaType: string }[]; annotations?: unknown };
    expect(manifest.mediaType).toBe(MEDIA[kind].manifest);
    const config = JSON.parse(Buffer.from((await api.getBlobBytes(target.repository, manifest.config.digest))!).toString()) as { history: unknown[] };
    expect(config.history).toEqual([
      { created: '2026-01-01T00:00:00Z', created_by: 'base layer 0' },
      { created: CONFIG.created, created_by: 'stowage: code layer app/ (1 file)', comment: 'stowage append' },
      { created: CONFIG.created, created_by: 'stowage: code layer app/ (2 files)', comment: 'stowage append' },
    ]);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([MEDIA[kind].layer, MEDIA[kind].layer, MEDIA[kind].layer]);
    if (kind === 'oci') expect(manifest.annotations).toEqual({ 'org.example.kept': 'manifest annotation' });

    const pulled = `${host}/${target.repository}@${result.digest}`;
    await docker.pull(pulled);
    const image = await docker.inspect(pulled);
    expect(image.RootFS.Layers).toEqual([base.layers[0]!.diffId, one.diffId, two.diffId]);
    expect(image.Created).toBe(CONFIG.created);
    expect(image.Config).toMatchObject({
      Labels: { 'org.example.base': 'yes', 'org.example.code': run },
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=en_US.UTF-8', 'APP_HOME=/app'],
      WorkingDir: '/app',
      User: '1000:1000',
    });
    const files = await docker.exportedFiles(pulled);
    expect(files.get('app/main.py')).toEqual({ type: 'file', mode: 0o640, uid: 1000, gid: 1000, content: `print("stowage ${kind} ${run}")\n` });
    expect(files.get('app/run.sh')).toMatchObject({ type: 'file', mode: 0o755, uid: 1001, gid: 1002 });
    expect(files.get('app')).toMatchObject({ type: 'directory', mode: 0o750, uid: 1000, gid: 1000 });
    expect(files.get('etc/passwd')?.content).toBe(`${PASSWD}app:x:1000:1000::/app:/bin/sh\n`);
    expect(files.get('etc/base-release')?.content).toBe(`base ${kind} ${run}\n`);
    expect(files.has('app/base.txt')).toBe(false);
  }, 120_000);

  it('an index of two platforms: both get the layers, the attestation is dropped; docker runs amd64, arm64 is read from the registry', async () => {
    const repository = repo('multi');
    const [amd64, arm64] = [testImage('oci', [await baseLayer('amd64')]), testImage('oci', [await baseLayer('arm64')], { architecture: 'arm64' })];
    for (const image of [amd64, arm64]) await pushTestImage(api, repository, image, `base-${image.config.json['architecture'] as string}`);
    const provenance = attestation(amd64.manifest.digest);
    for (const blob of provenance.blobs) await api.uploadBlob(repository, blob, sha256Digest(blob), blob.length);
    await api.putManifest(repository, provenance.manifest.digest, provenance.manifest.bytes, provenance.manifest.mediaType);
    const index = testIndex('oci', [platformDescriptor(amd64, 'amd64'), provenance.descriptor, platformDescriptor(arm64, 'arm64')]);
    const baseDigest = docker.pushedManifest(host, repository, await api.putManifest(repository, 'base', index.bytes, index.mediaType));
    const [one, two] = await codeLayers('multi');

    const result = await appendImage(api, { base: ref(host, 'multi', baseDigest), target: ref(host, 'multi', 'appended'), layers: [appended(one, 'one'), appended(two, 'two')], config: CONFIG });
    docker.pushedManifest(host, repository, result.digest);
    expect(result.manifests).toBe(2);
    const appendedIndex = JSON.parse(Buffer.from((await api.getManifest(repository, 'appended'))!.bytes).toString()) as { mediaType: string; annotations: unknown; manifests: { digest: string; platform: { architecture: string } }[] };
    expect(appendedIndex.mediaType).toBe(MEDIA.oci.index);
    expect(appendedIndex.annotations).toEqual({ 'org.example.kept': 'index annotation' });
    expect(appendedIndex.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    for (const m of appendedIndex.manifests) expect([amd64.manifest.digest, arm64.manifest.digest]).not.toContain(m.digest);

    const arm = await readImageFiles(api, ref(host, 'multi', 'appended'), ['app/main.py', 'etc/base-release', 'app/base.txt'], { platform: 'linux/arm64' });
    expect(Object.fromEntries([...arm].map(([k, v]) => [k, v.toString()]))).toEqual({ 'app/main.py': `print("stowage multi ${run}")\n`, 'etc/base-release': `base arm64 ${run}\n` });
    await expect(readImageFiles(api, ref(host, 'multi', 'appended'), ['etc/passwd'], { platform: 'linux/s390x' })).rejects.toThrow(/has no linux\/s390x image \(it has: linux\/amd64, linux\/arm64\)/);

    const pulled = `${host}/${repository}@${result.digest}`;
    await docker.pull(pulled);
    expect((await docker.inspect(pulled)).RootFS.Layers).toEqual([amd64.layers[0]!.diffId, one.diffId, two.diffId]);
    const files = await docker.exportedFiles(pulled);
    expect(files.get('etc/base-release')?.content).toBe(`base amd64 ${run}\n`);
    expect(files.get('app/run.sh')).toMatchObject({ mode: 0o755, uid: 1001, gid: 1002 });
  }, 120_000);
});

describe.skipIf(!registries)('appendImage in the real registry with basic auth', () => {
  let host = '';
  let api: RegistryApiClient;
  let docker: E2EDocker;
  let base: TestImage;
  let baseRef: ImageRef;
  let layers: TestLayer[];
  /** Blob requests sent, by method and path. */
  const sent: string[] = [];
  type TestRequest = Omit<AppendImageRequest, 'layers'> & { layers: AppendedTestLayer[] };
  const request = (target: ImageRef, extra: Partial<TestRequest> = {}): TestRequest => ({
    base: baseRef,
    target,
    layers: layers.map((l, i) => appended(l, `code layer ${i}`)),
    config: CONFIG,
    ...extra,
  });

  beforeAll(async () => {
    host = registries!.auth;
    const { username, password } = registries!;
    globalThis.fetch = (input, init) => {
      const url = new URL(String(input instanceof Request ? input.url : input));
      if (url.pathname.includes('/blobs/')) sent.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
      return originalFetch(input, init);
    };
    api = new RegistryApiClient({ baseUrl: `http://${host}`, auth: async () => ({ type: 'basic', username, password }), timeoutMs: 10_000, tokens: new BearerTokenCache() });
    docker = new E2EDocker(registries!, run);
    base = testImage('docker', [await baseLayer('auth')]);
    baseRef = ref(host, 'base', docker.pushedManifest(host, repo('base'), await pushTestImage(api, repo('base'), base, 'v1')));
    layers = await codeLayers('auth');
  });

  afterAll(async () => {
    globalThis.fetch = originalFetch;
    await docker.cleanUp();
  });

  it('appends into the base’s repository, then re-runs: nothing is opened or sent again, and the digest is the same', async () => {
    const first = request(ref(host, 'base', 'appended'));
    const result = await appendImage(api, first);
    docker.pushedManifest(host, baseRef.repository, result.digest);
    expect(first.layers.map((l) => l.opened)).toEqual([1, 1]);

    const again = request(ref(host, 'base', 'appended'));
    const outcomes: string[] = [];
    const from = sent.length;
    expect(await appendImage(api, { ...again, onLayer: (e) => outcomes.push(e.outcome) })).toEqual({ digest: result.digest, uploadedBytes: 0, manifests: 1 });
    expect(outcomes).toEqual(['present', 'present']);
    expect(again.layers.map((l) => l.opened)).toEqual([0, 0]);
    expect(sent.slice(from).filter((r) => !r.startsWith('HEAD'))).toEqual([`GET /v2/${baseRef.repository}/blobs/${base.config.digest}`]);
  });

  it('into another repository: the base’s layers and the earlier append’s are mounted, nothing is sent', async () => {
    const target = ref(host, 'other', 'v1');
    const outcomes: string[] = [];
    const from = sent.length;
    const append = request(target, { onLayer: (e) => outcomes.push(e.outcome) });
    const result = await appendImage(api, append);
    docker.pushedManifest(host, target.repository, result.digest);
    expect(result).toEqual({ digest: (await api.probeManifest(baseRef.repository, 'appended')).digest, uploadedBytes: 0, manifests: 1 });
    expect(outcomes).toEqual(['present', 'present']);
    expect(append.layers.map((l) => l.opened)).toEqual([0, 0]);
    const uploads = sent.slice(from).filter((r) => r.includes('/blobs/uploads/'));
    expect(uploads.every((r) => r.startsWith('POST') && r.includes('mount=sha256'))).toBe(true);
    const config = (JSON.parse(Buffer.from((await api.getManifest(target.repository, 'v1'))!.bytes).toString()) as { config: { digest: string } }).config.digest;
    const mounted = new Set(uploads.map((r) => new URL(r.slice('POST '.length), 'http://registry').searchParams.get('mount')));
    expect(mounted).toEqual(new Set([base.layers[0]!.digest, layers[0]!.digest, layers[1]!.digest, config]));
    expect(await api.headBlob(target.repository, base.layers[0]!.digest)).toMatchObject({ size: base.layers[0]!.size });
  });

  it('an abort in the second layer’s open() leaves a new tag absent and an existing tag where it was', async () => {
    const fresh = await codeLayers('aborted');
    const stable = await api.probeManifest(baseRef.repository, 'appended');
    for (const tag of ['appended', 'never']) {
      const controller = new AbortController();
      const reason = new Error(`cancelled ${tag}`);
      const append = request(ref(host, 'base', tag), {
        signal: controller.signal,
        layers: [appended(fresh[0], 'one'), appended(fresh[1], 'two', () => controller.abort(reason))],
      });
      await expect(appendImage(api, append)).rejects.toBe(reason);
    }
    expect(await api.probeManifest(baseRef.repository, 'appended')).toEqual(stable);
    expect(await api.probeManifest(baseRef.repository, 'never')).toEqual({ presence: 'absent' });
  });

  it('refuses an index of more than 64 manifests before reading them', async () => {
    const listed = Array.from({ length: 65 }, (_, i) => platformDescriptor(base, `arch${i}`));
    const index = testIndex('docker', listed);
    const digest = docker.pushedManifest(host, baseRef.repository, await api.putManifest(baseRef.repository, 'wide', index.bytes, index.mediaType));
    const from = sent.length;
    const error = await appendImage(api, request(ref(host, 'base', 'wide-appended'), { base: ref(host, 'base', digest) })).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
    expect((error as Error).message).toMatch(/: the index lists 65 manifests, more than the 64 an image has$/);
    expect(sent.slice(from)).toEqual([]);
  });

  it.each([
    ['a base given by tag', () => ({ base: ref(host, 'base', 'v1') }), /the base must be given by digest/],
    ['a target in another registry', () => ({ target: parseImageReference(`${registries!.open}/x:y`) }), /base and target must be in the same registry/],
    ['a layer without a diffId', () => ({ layers: [{ ...appended(layers[0]!, 'x'), diffId: 'sha256:short' }] }), /layers\[0\] needs a sha256 digest and diffId/],
    ['env without a value', () => ({ config: { env: ['NOVALUE'] } }), /config\.env\[0\] is not NAME=value/],
  ])('refuses %s (USAGE) and sends no blob or manifest', async (_name, change, message) => {
    const from = sent.length;
    const error = await appendImage(api, { ...request(ref(host, 'base', 'refused')), ...change() }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toMatch(message);
    expect(sent.slice(from).filter((r) => !r.startsWith('HEAD') && !r.startsWith('GET'))).toEqual([]);
    expect(await api.probeManifest(baseRef.repository, 'refused')).toEqual({ presence: 'absent' });
  });
});
