import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContextArchive } from '@stowage/core';
import type { BuildEvent } from '@stowage/plugin-api';
import { buildRequest } from './__fixtures__/engineContexts.js';
import { describeWithEngine, engineDocker, shellBaseImageAvailable } from './__fixtures__/engineGate.js';
import { containersWith, dockerfile, flavorContext, removeTestImages, RUN_ID, stowageFailure, TEST_LABEL } from './__fixtures__/testBuilds.js';
import { LocalImageBuilder } from './LocalImageBuilder.js';
import { resolveEngineAddress } from './resolveEngineAddress.js';
import { LocalImageBuilderConfigSchema, type LocalImageBuilderConfig } from './config.js';
import { localImageBuilderFlavor } from './plugin.js';

const docker = engineDocker();
const engine = resolveEngineAddress(undefined, process.env);
const builder = (config: Partial<LocalImageBuilderConfig> = {}) => new LocalImageBuilder(docker, engine, { buildkit: false, ...config });
const image = (name: string) => `stowage-test/ibl-${name}:${RUN_ID}`;
const steps = (events: BuildEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.step] : []));
const logs = (events: BuildEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.line] : []));

await describeWithEngine('LocalImageBuilder against the Docker engine', () => {
  let withShell = false;
  beforeAll(async () => {
    withShell = await shellBaseImageAvailable(docker);
  });
  afterAll(() => removeTestImages(docker));

  it('builds from a createContextArchive stream, applying the label build option', async () => {
    const request = buildRequest(image('ok'), {
      Dockerfile: dockerfile('scratch', 'COPY hello.txt /hello.txt'),
      'hello.txt': 'hi\n',
    });
    request.options = { labels: { 'org.example.team': 'ml' }, platform: 'linux/amd64' };
    const result = await builder().build(request);
    const info = await docker.getImage(image('ok')).inspect();
    expect(result).toEqual({ imageName: image('ok'), imageId: info.Id, sizeBytes: 3 });
    expect([info.Os, info.Architecture]).toEqual(['linux', 'amd64']);
    expect(info.Config.Labels).toMatchObject({ [TEST_LABEL]: '1', 'org.example.team': 'ml' });
    expect(info.Size).toBe(3);
    expect(steps(request.events)).toEqual(['Step 1/4 : FROM scratch', expect.stringMatching(/^Step 2\/4 : LABEL/), 'Step 3/4 : COPY hello.txt /hello.txt', expect.stringMatching(/^Step 4\/4 : LABEL org.example.team/)]);
    expect(logs(request.events)).toContain(`Successfully tagged ${image('ok')}`);
  });

  it('builds quietly and reports whether an image exists', async () => {
    const quiet = buildRequest(image('exists'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'a' }, { options: { quiet: true } });
    await builder().build(quiet);
    expect(logs(quiet.events)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    await expect(builder().imageExists(image('exists'))).resolves.toBe('present');
    await expect(builder().imageExists(`stowage-test/ibl-never-built:${RUN_ID}`)).resolves.toBe('absent');
  });

  // Reuse without a registry asks with the recorded id: a fixed tag rebuilt from other settings is another image.
  it('says whether a name still names the image a build returned', async () => {
    const first = await builder().build(buildRequest(image('retagged'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'first' }));
    const second = await builder().build(buildRequest(image('retagged'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'second' }));
    expect(first.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.imageId).not.toBe(first.imageId);
    await expect(builder().imageExists(image('retagged'), second.imageId)).resolves.toBe('present');
    await expect(builder().imageExists(image('retagged'), first.imageId)).resolves.toBe('absent');
    await expect(builder().imageExists(image('retagged'))).resolves.toBe('present');
  });

  it('fails a missing COPY source with BUILD_FAILED naming the image, the step and the log tail', async () => {
    const request = buildRequest(image('nocopy'), { Dockerfile: dockerfile('scratch', 'COPY a /a', 'COPY missing.txt /m'), a: 'a' });
    const error = await stowageFailure(builder().build(request));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(
      new RegExp(`^building image ${image('nocopy')} failed at Step 4/4 : COPY missing.txt /m: COPY failed: .*missing.txt`),
    );
    expect(error.details.at(-1)).toBe('Step 4/4 : COPY missing.txt /m');
    await expect(builder().imageExists(image('nocopy'))).resolves.toBe('absent');
  });

  it('fails a Dockerfile parse error with BUILD_FAILED from the rejected call', async () => {
    const error = await stowageFailure(builder().build(buildRequest(image('parse'), { Dockerfile: 'FROMM scratch\n' })));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toBe(
      `building image ${image('parse')} failed before any Dockerfile step ran: dockerfile parse error line 1: unknown instruction: FROMM`,
    );
  });

  it('fails a context without a Dockerfile with BUILD_FAILED', async () => {
    const error = await stowageFailure(builder().build(buildRequest(image('nodockerfile'), { 'a.txt': 'a' })));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toContain('Cannot locate specified Dockerfile: Dockerfile');
  });

  it('fails with the context error when the build context cannot be read', async () => {
    const request = buildRequest(image('badcontext'), {});
    const selection: NonNullable<Parameters<typeof createContextArchive>[0]['selection']> = {
      root: '/nonexistent',
      dockerignoreFile: null,
      patterns: [],
      entries: [{ path: 'gone.txt', type: 'file', mode: 0o644, size: 10, absolutePath: '/nonexistent/gone.txt' }],
      totalBytes: 10,
      warnings: [],
    };
    request.context = {
      open: () => createContextArchive({ selection, extraFiles: [{ path: 'Dockerfile', content: dockerfile('scratch', 'COPY gone.txt /') }] }),
      digest: async () => 'sha256:unused',
    };
    const error = await stowageFailure(builder().build(request));
    expect(error.code).toBe('CONTEXT_INVALID');
    expect(error.message).toContain('/nonexistent/gone.txt');
  });

  it('fails the build, instead of crashing the process, when an event handler throws', async () => {
    const request = buildRequest(image('handler'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'a' });
    request.onEvent = () => {
      throw new Error('renderer broke');
    };
    const error = await stowageFailure(builder().build(request));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toContain('renderer broke');
  });

  it('builds with BuildKit and reports #N steps; a BuildKit failure names its step', async () => {
    const ok = buildRequest(image('bk'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'a' });
    const built = await builder({ buildkit: true }).build(ok);
    // BuildKit reports the id too, and it is the one the engine knows the image by.
    expect(built.imageId).toBe((await docker.getImage(built.imageName).inspect()).Id);
    expect(steps(ok.events)).toEqual(['[1/1] COPY a /a']);
    expect(logs(ok.events).some((l) => /^#\d+ \[1\/1\] COPY a \/a$/.test(l))).toBe(true);
    await expect(builder().imageExists(image('bk'))).resolves.toBe('present');
    const bad = buildRequest(image('bk-bad'), { Dockerfile: dockerfile('scratch', 'COPY a /a', 'COPY missing.txt /m'), a: 'a' });
    const error = await stowageFailure(builder({ buildkit: true }).build(bad));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toMatch(/failed at \[2\/2\] COPY missing.txt \/m: .*not found/);
  });

  it('fails a RUN step with BUILD_FAILED and leaves no build container, even with ZenML\'s rm: false', async (ctx) => {
    if (!withShell) return ctx.skip();
    const marker = `stowage-fail-${RUN_ID}`;
    const request = buildRequest(image('runfalse'), { Dockerfile: dockerfile('python:3.11-slim', `RUN echo ${marker} && false`) });
    request.options = { removeIntermediate: false };
    const error = await stowageFailure(builder().build(request));
    expect(error.message).toContain(`failed at Step 3/3 : RUN echo ${marker} && false: The command '/bin/sh -c echo ${marker} && false' returned a non-zero code: 1`);
    expect(error.details).toContain(marker);
    expect(await containersWith(docker, marker)).toEqual([]);
  });

  it('passes build args, extra hosts, shm size, limits, CPU quota and the network mode to RUN steps', async (ctx) => {
    if (!withShell) return ctx.skip();
    const cpu = 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d" " -f1 /sys/fs/cgroup/cpu.max';
    const run = `echo "greeting=$GREETING" && grep -E "alpha|beta" /etc/hosts && echo "shm=$(df -k /dev/shm | tail -1)" && echo "host=$(hostname)" && echo "cpu=$(${cpu})"`;
    const request = buildRequest(image('opts'), { Dockerfile: dockerfile('python:3.11-slim', 'ARG GREETING', `RUN ${run} # ${RUN_ID}`) });
    request.options = {
      buildArgs: { GREETING: 'hello' },
      extraHosts: ['alpha:10.1.1.1', 'beta:10.1.1.2'],
      shmSize: 32 * 1024 * 1024,
      memory: 512 * 1024 * 1024,
      cpuShares: 512,
      cacheFrom: ['python:3.11-slim'],
      removeIntermediate: false,
    };
    request.builderOptions = { cpu_period: 100_000, cpu_quota: 50_000 };
    await builder({ network_mode: 'host' }).build(request);
    const lines = logs(request.events);
    expect(lines).toContain('greeting=hello');
    // Two `extrahosts` query values: the engine reads the repeated key as a list.
    expect(lines.filter((l) => /^10\.1\.1\.[12]\s+(alpha|beta)$/.test(l))).toHaveLength(2);
    expect(lines.find((l) => l.startsWith('shm='))).toMatch(/^shm=shm\s+32768\s/);
    // On the host network a RUN step sees the host's name, not a container id.
    expect(lines).toContain(`host=${hostname()}`);
    // builder_options.local: half a CPU (cgroup v1 cpu.cfs_quota_us, or v2 cpu.max).
    expect(lines).toContain('cpu=50000');
    expect(await containersWith(docker, RUN_ID)).toEqual([]);
  });

  it('stops a slow build within seconds of Ctrl-C and leaves no build container running', async (ctx) => {
    if (!withShell) return ctx.skip();
    const marker = `stowage-cancel-${RUN_ID}`;
    const abort = new AbortController();
    const request = buildRequest(image('cancel'), { Dockerfile: dockerfile('python:3.11-slim', `RUN echo ${marker} && sleep 30`) }, { signal: abort.signal });
    let containersAtAbort = 0;
    let abortedAt = 0;
    request.onEvent = (event) => {
      // The RUN container has printed, so it exists: count it (the final check must be able to see it), then Ctrl-C.
      if (event.type !== 'log' || event.line !== marker) return;
      void containersWith(docker, marker).then((found) => {
        // Any state: the engine may still list it as `created` while its output already streams.
        containersAtAbort = found.length;
        abortedAt = Date.now();
        abort.abort();
      });
    };
    const error = await stowageFailure(builder().build(request));
    expect(error.code).toBe('BUILD_CANCELLED');
    expect(containersAtAbort).toBe(1);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    await expect.poll(() => containersWith(docker, marker), { timeout: 3000, interval: 250 }).toEqual([]);
  }, 30_000);

  it('cancels a BuildKit build too', async (ctx) => {
    if (!withShell) return ctx.skip();
    const marker = `stowage-bk-cancel-${RUN_ID}`;
    const abort = new AbortController();
    const request = buildRequest(image('bk-cancel'), { Dockerfile: dockerfile('python:3.11-slim', `RUN echo ${marker} && sleep 30`) }, { signal: abort.signal });
    let abortedAt = 0;
    request.onEvent = (event) => {
      if (event.type !== 'log' || !event.line.endsWith(` ${marker}`)) return;
      abortedAt = Date.now();
      abort.abort();
    };
    await expect(stowageFailure(builder({ buildkit: true }).build(request))).resolves.toMatchObject({ code: 'BUILD_CANCELLED' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
  }, 30_000);

  it('stops a build at timeout_seconds with BUILD_FAILED and leaves no build container running', async (ctx) => {
    if (!withShell) return ctx.skip();
    const marker = `stowage-timeout-${RUN_ID}`;
    const request = buildRequest(image('timeout'), { Dockerfile: dockerfile('python:3.11-slim', `RUN echo ${marker} && sleep 30`) });
    let containersWhileRunning: Promise<number> | undefined;
    request.onEvent = (event) => {
      // The RUN container has printed, so it exists: count it, so the final check is known to be able to see it.
      if (event.type === 'log' && event.line === marker) containersWhileRunning = containersWith(docker, marker).then((found) => found.length);
    };
    const error = await stowageFailure(builder({ timeout_seconds: 2 }).build(request));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toBe(`building image ${image('timeout')} did not finish within timeout_seconds (2 s) and was stopped`);
    expect(await containersWhileRunning).toBe(1);
    await expect.poll(() => containersWith(docker, marker), { timeout: 3000, interval: 250 }).toEqual([]);
  }, 30_000);

  it('builds on docker_host even when the shell\'s DOCKER_HOST names another engine', async () => {
    // docker-modem reads process.env itself; a tcp DOCKER_HOST there used to beat the configured socket.
    const config = LocalImageBuilderConfigSchema.parse({ docker_host: engine.address });
    const configured = await localImageBuilderFlavor.create(config, flavorContext(), { registry: undefined });
    const shellDockerHost = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'tcp://127.0.0.1:1';
    try {
      const request = buildRequest(image('docker-host'), { Dockerfile: dockerfile('scratch', 'COPY a /a'), a: 'a' });
      await expect(configured.build(request)).resolves.toEqual({ imageName: image('docker-host'), imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), sizeBytes: 1 });
    } finally {
      if (shellDockerHost === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = shellDockerHost;
    }
    await expect(builder().imageExists(image('docker-host'))).resolves.toBe('present');
  });
});
