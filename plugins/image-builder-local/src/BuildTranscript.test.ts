import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '@stowage/plugin-api';
import { buildFailedError } from './buildFailedError.js';
import { BuildTranscript, parseBuildStep, type EngineProgressEvent } from './BuildTranscript.js';

/** Progress events recorded from Docker 20.10.24 (see __fixtures__/*.events.json). */
function recorded(name: string): EngineProgressEvent[] {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.events.json`, import.meta.url), 'utf8')) as EngineProgressEvent[];
}

function replay(events: EngineProgressEvent[], tailSize?: number): { transcript: BuildTranscript; emitted: BuildEvent[] } {
  const emitted: BuildEvent[] = [];
  const transcript = new BuildTranscript((e) => emitted.push(e), tailSize);
  for (const event of events) transcript.accept(event);
  transcript.finish();
  return { transcript, emitted };
}

describe('parseBuildStep', () => {
  it.each([
    ['Step 2/3 : RUN make', 'Step 2/3 : RUN make'],
    ['#7 [2/3] RUN make', '[2/3] RUN make'],
    ['#9 [builder 1/4] FROM python:3.11-slim', '[builder 1/4] FROM python:3.11-slim'],
    ['#1 [internal] load build definition from Dockerfile', undefined],
    ['#7 DONE', undefined],
    [' ---> Running in fe4d02be2c44', undefined],
    ['Step is a word in my output', undefined],
  ])('%j → %j', (line, step) => {
    expect(parseBuildStep(line)).toBe(step);
  });
});

describe('BuildTranscript with the classic builder', () => {
  it('re-joins "Step N/M" messages with their separate newline and emits log and step events', () => {
    const { emitted } = replay(recorded('classic-run-false'));
    expect(emitted.slice(0, 4)).toEqual([
      { type: 'log', line: 'Step 1/3 : FROM python:3.11-slim' },
      { type: 'step', step: 'Step 1/3 : FROM python:3.11-slim' },
      { type: 'log', line: ' ---> 302b8353496f' },
      { type: 'log', line: 'Step 2/3 : RUN echo hello-from-run && false' },
    ]);
    expect(emitted).toContainEqual({ type: 'log', line: 'hello-from-run' });
  });

  it('shapes a failed RUN into BUILD_FAILED naming the image, the step and the engine error, with the log tail', () => {
    const { transcript } = replay(recorded('classic-run-false'));
    expect(transcript.failed).toBe(true);
    const error = buildFailedError(transcript.failure('reg/app:1'));
    expect(error.code).toBe('BUILD_FAILED');
    expect(error.message).toBe(
      "building image reg/app:1 failed at Step 2/3 : RUN echo hello-from-run && false: The command '/bin/sh -c echo hello-from-run && false' returned a non-zero code: 1",
    );
    expect(error.details).toEqual([
      'Step 1/3 : FROM python:3.11-slim',
      ' ---> 302b8353496f',
      'Step 2/3 : RUN echo hello-from-run && false',
      ' ---> Running in fe4d02be2c44',
      'hello-from-run',
      'Removing intermediate container fe4d02be2c44',
    ]);
  });

  it('keeps only the last lines as details', () => {
    const { transcript } = replay(recorded('classic-copy-missing'), 2);
    const failure = transcript.failure('app:1');
    expect(failure.step).toBe('Step 3/4 : COPY missing.txt /m');
    expect(failure.engineError).toMatch(/^COPY failed: file not found in build context/);
    expect(failure.logTail).toEqual([' ---> 865d41798aed', 'Step 3/4 : COPY missing.txt /m']);
  });

  it('reports status messages (base image pulls) as status events, once per change', () => {
    const { emitted } = replay([
      { status: 'Pulling fs layer', id: 'a1b2' },
      { status: 'Downloading', id: 'a1b2', progress: '[=>   ] 1MB/9MB' },
      { status: 'Downloading', id: 'a1b2', progress: '[==>  ] 2MB/9MB' },
      { status: 'Download complete', id: 'a1b2' },
      { status: 'Digest: sha256:ab' },
    ]);
    expect(emitted).toEqual([
      { type: 'status', message: 'a1b2: Pulling fs layer' },
      { type: 'status', message: 'a1b2: Downloading' },
      { type: 'status', message: 'a1b2: Download complete' },
      { type: 'status', message: 'Digest: sha256:ab' },
    ]);
  });

  it('is not failed without an error event', () => {
    const { transcript } = replay([{ stream: 'Step 1/1 : FROM scratch\n' }, { aux: { ID: 'sha256:1' } }]);
    expect(transcript.failed).toBe(false);
  });

  it.each([
    ['the aux message', [{ stream: 'Successfully tagged a:1\n' }, { aux: { ID: 'sha256:5dbd87e1a2e8' } }], 'sha256:5dbd87e1a2e8'],
    ['a BuildKit image id message', [{ id: 'moby.image.id', aux: { ID: 'sha256:21afa286cc26' } }], 'sha256:21afa286cc26'],
    ['the only line of a quiet build', [{ stream: `sha256:${'5'.repeat(64)}\n` }], `sha256:${'5'.repeat(64)}`],
    ['"Successfully built" (engines without aux)', [{ stream: 'Successfully built 5dbd87e1a2e8\n' }], '5dbd87e1a2e8'],
    ['nothing when the stream was cut off', [{ stream: 'Step 1/2 : FROM scratch\n' }], undefined],
  ])('learns the built image from %s', (_how, events, id) => {
    expect(replay(events as EngineProgressEvent[]).transcript.builtImage).toBe(id);
  });
});

describe('BuildTranscript with BuildKit', () => {
  it('decodes the trace into plain-progress lines, with RUN output as text (not base64)', () => {
    const { emitted } = replay(recorded('buildkit-run-false'));
    const lines = emitted.flatMap((e) => (e.type === 'log' ? [e.line] : []));
    expect(lines).toContain('#1 [internal] load remote build context');
    const run = lines.find((l) => l.endsWith('[2/2] RUN echo hello-from-run && false'));
    expect(run).toMatch(/^#\d+ \[2\/2\] RUN echo hello-from-run && false$/);
    const n = run!.split(' ')[0];
    expect(lines).toContain(`${n} hello-from-run`);
    expect(lines).toContain(`${n} ERROR: executor failed running [/bin/sh -c echo hello-from-run && false]: exit code: 1`);
    expect(emitted.filter((e) => e.type === 'step').map((e) => (e as { step: string }).step)).toEqual([
      '[1/2] FROM docker.io/library/python:3.11-slim',
      '[2/2] RUN echo hello-from-run && false',
    ]);
  });

  it('skips an undecodable trace message instead of throwing inside the stream handler', () => {
    const { transcript, emitted } = replay([{ id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0x7f]).toString('base64') }]);
    expect(emitted).toEqual([{ type: 'log', line: '(an undecodable BuildKit progress message was skipped)' }]);
    expect(transcript.failed).toBe(false);
  });

  it('names the vertex that failed as the step', () => {
    const { transcript } = replay(recorded('buildkit-copy-missing'));
    const error = buildFailedError(transcript.failure('app:1'));
    expect(error.message).toBe(
      'building image app:1 failed at [2/2] COPY missing.txt /m: failed to compute cache key: "/missing.txt" not found: not found',
    );
    expect(error.details.length).toBeGreaterThan(0);
    expect(error.details.length).toBeLessThanOrEqual(20);
  });
});

describe('buildFailedError', () => {
  it('says when the engine refused the build before any step (a Dockerfile parse error)', () => {
    const error = buildFailedError({
      imageName: 'app:1',
      engineError: 'dockerfile parse error line 1: unknown instruction: FROMM',
      logTail: [],
    });
    expect(error.message).toBe('building image app:1 failed before any Dockerfile step ran: dockerfile parse error line 1: unknown instruction: FROMM');
    expect(error.hint).toContain('Dockerfile syntax');
    expect(error.exitCode).toBe(1);
  });
});

describe('colour codes', () => {
  it('are removed from log lines and from the failure tail', () => {
    const events: unknown[] = [];
    const t = new BuildTranscript((e) => events.push(e));
    t.accept({ stream: 'Step 1/1 : RUN apt-get install nope\n' });
    t.accept({ stream: '\u001b[91mE: Unable to locate package nope\n\u001b[0m' });
    expect(events).toContainEqual({ type: 'log', line: 'E: Unable to locate package nope' });
    expect(JSON.stringify(events)).not.toContain('\\u001b');
  });
});
