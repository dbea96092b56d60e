import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isPlugin, StowageError, type BuildEvent, type ContainerRegistry, type ContainerRegistryDescription, type DependencyHandle, type ImageBuildRequest, type RegistryAuth, type RegistryAuthScope } from '@stowage/plugin-api';
import { FAKE_DIGEST, fakeDocker } from './__fixtures__/fakeDocker.js';
import { DockerCliBuilderConfigSchema } from './config.js';
import { dockerBuildFlags } from './dockerBuildFlags.js';
import plugin, { dockerCliImageBuilder } from './plugin.js';
import { pushTargetOf } from './pushLogin.js';

const context = { open: () => Readable.from([Buffer.alloc(2048)]), digest: async () => 'sha256:unused' };
const ctx = { stackName: 's', componentKey: 'image_builder', projectRoot: '/tmp', env: {}, secrets: { add() {} }, runner: { run: () => Promise.reject(new Error('unused')) } };

function request(imageName: string, extra: Partial<ImageBuildRequest> = {}): ImageBuildRequest & { events: BuildEvent[] } {
  const events: BuildEvent[] = [];
  return { imageName, context, options: {}, builderOptions: {}, push: false, signal: new AbortController().signal, onEvent: (e) => events.push(e), events, ...extra };
}

function registryAnswering(answer: RegistryAuth): { handle: DependencyHandle<ContainerRegistry, ContainerRegistryDescription>; scopes: RegistryAuthScope[] } {
  const scopes: RegistryAuthScope[] = [];
  const registry: ContainerRegistry = { auth: async (scope) => (scopes.push(scope), answer), imageExists: async () => 'unknown', resolveDigest: async () => undefined };
  return { handle: { flavor: 'fake', description: { uri: 'registry.test' }, get: async () => registry }, scopes };
}

async function builderOn(binary: string, registry?: ReturnType<typeof registryAnswering>, config: Record<string, unknown> = {}) {
  return dockerCliImageBuilder.create(DockerCliBuilderConfigSchema.parse({ docker_binary: binary, ...config }), ctx, { registry: registry?.handle });
}

describe('the docker-cli plugin (plugin API 2)', () => {
  it('describes a local builder that pushes separately and honours some build options', () => {
    expect(isPlugin(plugin)).toBe(true);
    expect(plugin.apiVersion).toBe(2);
    const description = dockerCliImageBuilder.describe(DockerCliBuilderConfigSchema.parse({ extra_args: ['--network=host'] }), { projectRoot: '/p' });
    expect(description).toMatchObject({ remote: false, capabilities: { push: 'separate', stagesContext: false }, identity: { docker_binary: 'docker', extra_args: ['--network=host'] } });
    expect(description.capabilities.buildOptions).toEqual(['buildArgs', 'labels', 'target', 'platform', 'network', 'extraHosts', 'cacheFrom', 'pull', 'noCache']);
  });

  it('refuses arguments Stowage decides, in the config and (at plan time) in builder options', () => {
    const bad = DockerCliBuilderConfigSchema.safeParse({ extra_args: ['--network=host', '--tag=x'] });
    expect(bad.error?.issues).toEqual([expect.objectContaining({ path: ['extra_args', 1], message: expect.stringContaining('"--tag=x" is set by Stowage') })]);
    const config = DockerCliBuilderConfigSchema.parse({});
    const check = (builderOptions: Record<string, unknown>) => dockerCliImageBuilder.check!(config, { imageName: 'a:1', options: {}, builderOptions });
    expect(check({ extra_args: ['--secret', 'id=pip,env=PIP_TOKEN'] })).toEqual([]);
    expect(check({ extra_args: ['--push'] })).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringContaining('"--push" is set by Stowage') })]);
    expect(check({ args: [] })).toEqual([expect.objectContaining({ severity: 'error' })]);
  });

  it('maps typed build options to docker build flags', () => {
    expect(dockerBuildFlags({ buildArgs: { A: '1' }, labels: { team: 'ml' }, network: 'host', target: 'runtime', platform: 'linux/amd64', pull: true, noCache: false, extraHosts: ['db:10.0.0.2'] })).toEqual([
      '--build-arg', 'A=1', '--label', 'team=ml', '--target', 'runtime', '--platform', 'linux/amd64', '--network=host', '--add-host', 'db:10.0.0.2', '--pull',
    ]);
  });

  it.each([
    ['127.0.0.1:5001/team/app:1', { host: '127.0.0.1:5001', configKey: '127.0.0.1:5001', repository: 'team/app' }],
    ['ghcr.io/acme/app', { host: 'ghcr.io', configKey: 'ghcr.io', repository: 'acme/app' }],
    ['acme/app:2', { host: 'docker.io', configKey: 'https://index.docker.io/v1/', repository: 'acme/app' }],
    ['python:3.11', { host: 'docker.io', configKey: 'https://index.docker.io/v1/', repository: 'library/python' }],
    ['localhost/app@sha256:abc', { host: 'localhost', configKey: 'localhost', repository: 'app' }],
  ])('pushes %s to %j', (name, target) => {
    expect(pushTargetOf(name)).toEqual(target);
  });
});

describe('DockerCliImageBuilder with a stand-in docker CLI', () => {
  it('pipes the context into `docker build -` with the flags, config and builder-option arguments', async () => {
    const docker = fakeDocker();
    const builder = await builderOn(docker.binary, undefined, { extra_args: ['--network=host'] });
    const r = request('app:1', { options: { buildArgs: { A: '1' } }, builderOptions: { extra_args: ['--progress=plain'] } });
    await expect(builder.build(r)).resolves.toEqual({ imageName: 'app:1' });
    expect(docker.runs()).toEqual([expect.objectContaining({ argv: ['build', '-t', 'app:1', '--build-arg', 'A=1', '--network=host', '--progress=plain', '-'], stdinBytes: 2048 })]);
    expect(r.events).toEqual([{ type: 'log', line: 'Step 1/1 : FROM scratch' }]);
  });

  it('fails the build with BUILD_FAILED and the last output lines', async () => {
    const builder = await builderOn(fakeDocker(1).binary);
    await expect(builder.build(request('app:1'))).rejects.toMatchObject({ code: 'BUILD_FAILED', details: ['Step 1/1 : FROM scratch', 'error: something broke'] });
  });

  it('pushes with the registry login in a private DOCKER_CONFIG, never on argv, and removes it afterwards', async () => {
    const docker = fakeDocker();
    const registry = registryAnswering({ type: 'basic', username: 'ciuser', password: 'ci-pass-123' });
    const builder = await builderOn(docker.binary, registry);
    const events: BuildEvent[] = [];
    const { digest } = await builder.push!({ imageName: '127.0.0.1:5001/team/app:1', signal: new AbortController().signal, onEvent: (e) => events.push(e) });
    expect(digest).toBe(FAKE_DIGEST);
    expect(registry.scopes).toEqual([{ repository: 'team/app', actions: ['pull', 'push'] }]);
    const [run] = docker.runs();
    expect(run?.argv).toEqual(['push', '127.0.0.1:5001/team/app:1']);
    expect(JSON.parse(run!.configJson)).toEqual({ auths: { '127.0.0.1:5001': { auth: Buffer.from('ciuser:ci-pass-123').toString('base64') } } });
    expect(existsSync(run!.dockerConfig)).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'push', message: `1: digest: ${FAKE_DIGEST} size: 528` });
  });

  it('passes a bearer token as registrytoken; anonymous gets an empty login; ambient uses the user’s own', async () => {
    const docker = fakeDocker();
    for (const answer of [{ type: 'bearer', token: 'tok' }, { type: 'anonymous' }, { type: 'ambient' }] as const) {
      await (await builderOn(docker.binary, registryAnswering(answer))).push!({ imageName: 'reg.example/app:1', signal: new AbortController().signal, onEvent: () => {} });
    }
    const [bearer, anonymous, ambient] = docker.runs();
    expect(JSON.parse(bearer!.configJson)).toEqual({ auths: { 'reg.example': { registrytoken: 'tok' } } });
    expect(JSON.parse(anonymous!.configJson)).toEqual({ auths: {} });
    expect(ambient!.dockerConfig).toBe(process.env['DOCKER_CONFIG'] ?? '');
  });

  it('refuses to push without a registry, and reports a failed push as REGISTRY_FAILED', async () => {
    const noRegistry = await builderOn(fakeDocker().binary);
    await expect(noRegistry.push!({ imageName: 'a/b:1', signal: new AbortController().signal, onEvent: () => {} })).rejects.toMatchObject({ code: 'STACK_INVALID' });
    const failing = await builderOn(fakeDocker(1).binary, registryAnswering({ type: 'anonymous' }));
    const error = await failing.push!({ imageName: 'reg.example/b:1', signal: new AbortController().signal, onEvent: () => {} }).catch((e: unknown) => e);
    expect(StowageError.isInstance(error) && error.code).toBe('REGISTRY_FAILED');
  });

  it('reports a missing docker CLI as ENGINE_UNAVAILABLE and Ctrl-C as BUILD_CANCELLED', async () => {
    const missing = await builderOn('/nonexistent/docker');
    await expect(missing.build(request('app:1'))).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    const abort = new AbortController();
    abort.abort();
    await expect((await builderOn(fakeDocker().binary)).build(request('app:1', { signal: abort.signal }))).rejects.toMatchObject({ code: 'BUILD_CANCELLED' });
  });
});
