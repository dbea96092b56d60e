import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildspec, EmulatorBed } from './__fixtures__/emulatorBed.js';

// The emulator runs buildspec commands with /bin/sh on the host: `build_image` cannot be pulled here.
describe('CodeBuild emulator (commands run on the host, build_image not pulled)', () => {
  let bed: EmulatorBed;
  beforeAll(async () => {
    bed = await EmulatorBed.start();
  });
  afterAll(() => bed?.stop());

  it('downloads and unzips the S3 source keeping modes, runs the phases in order with CODEBUILD_* and override variables', async () => {
    const files = { 'run.sh': { content: '#!/bin/sh\necho "ran in $(pwd) as $CODEBUILD_BUILD_ID"\n', mode: 0o755 }, 'data.txt': 'hello\n' };
    const spec = buildspec(
      { install: ['echo install'], pre_build: ['echo pre $FROM_SPEC'], build: ['./run.sh', 'cat data.txt'], post_build: ['echo post $CODEBUILD_BUILD_SUCCEEDING $FROM_OVERRIDE'] },
      { FROM_SPEC: 'spec', FROM_OVERRIDE: 'spec-value' },
    );
    const started = await bed.start(files, spec, { environmentVariablesOverride: [{ name: 'FROM_OVERRIDE', value: 'override', type: 'PLAINTEXT' }] });
    expect(started.buildStatus).toBe('IN_PROGRESS');
    expect(started.id).toMatch(/^stowage:[0-9a-f-]{36}$/);
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('SUCCEEDED');
    expect(build.startTime).toBeInstanceOf(Date);
    expect(build.phases?.map((p) => `${p.phaseType}:${p.phaseStatus ?? ''}`)).toEqual([
      'SUBMITTED:SUCCEEDED', 'QUEUED:SUCCEEDED', 'PROVISIONING:SUCCEEDED', 'DOWNLOAD_SOURCE:SUCCEEDED', 'INSTALL:SUCCEEDED', 'PRE_BUILD:SUCCEEDED',
      'BUILD:SUCCEEDED', 'POST_BUILD:SUCCEEDED', 'UPLOAD_ARTIFACTS:SUCCEEDED', 'FINALIZING:SUCCEEDED', 'COMPLETED:',
    ]);
    const lines = await bed.logLines(build);
    const srcDir = lines.find((l) => l.startsWith('ran in '))!;
    expect(srcDir).toMatch(new RegExp(`^ran in /.+/src as ${build.id}$`));
    expect(lines).toEqual(expect.arrayContaining(['install', 'pre spec', 'hello', 'post 1 override']));
    expect(lines.filter((l) => l.includes('Running command')).map((l) => l.replace(/^.*Running command /, ''))).toEqual(['echo install', 'echo pre $FROM_SPEC', './run.sh', 'cat data.txt', 'echo post $CODEBUILD_BUILD_SUCCEEDING $FROM_OVERRIDE']);
    expect(build.logs?.deepLink).toBe(`https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logEvent:group=/aws/codebuild/stowage;stream=${build.logs?.streamName}`);
    expect(build.resolvedSourceVersion).toMatch(/^[0-9a-f]{32}$/);
  });

  it('runs POST_BUILD after a failed BUILD, with CODEBUILD_BUILD_SUCCEEDING=0, and names the failing command', async () => {
    const started = await bed.start({ 'a.txt': 'a' }, buildspec({ build: ['echo before', 'exit 3', 'echo never'], post_build: ['echo post $CODEBUILD_BUILD_SUCCEEDING'] }));
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('FAILED');
    const phase = (type: string) => build.phases?.find((p) => p.phaseType === type);
    expect(phase('BUILD')).toMatchObject({ phaseStatus: 'FAILED', contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: 'Error while executing command: exit 3. Reason: exit status 3' }] });
    expect(phase('POST_BUILD')?.phaseStatus).toBe('SUCCEEDED');
    const lines = await bed.logLines(build);
    expect(lines).toContain('post 0');
    expect(lines).not.toContain('never');
  });

  it('ends the build when PRE_BUILD fails: BUILD and POST_BUILD do not run', async () => {
    const started = await bed.start({ 'a.txt': 'a' }, buildspec({ pre_build: ['false'], build: ['echo build'], post_build: ['echo post'] }));
    const build = await bed.finished(started.id!);
    expect(build.buildStatus).toBe('FAILED');
    expect(build.phases?.map((p) => p.phaseType)).not.toContain('BUILD');
    expect(build.phases?.map((p) => p.phaseType)).not.toContain('POST_BUILD');
  });

  it('fails DOWNLOAD_SOURCE with YAML_FILE_ERROR for a buildspec it cannot read', async () => {
    const build = await bed.finished((await bed.start({ 'a.txt': 'a' }, 'version: 0.1\nphases: {}\n')).id!);
    expect(build.buildStatus).toBe('FAILED');
    expect(build.phases?.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')?.contexts?.[0]?.statusCode).toBe('YAML_FILE_ERROR');
  });
});
