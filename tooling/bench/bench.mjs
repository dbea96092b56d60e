// pnpm bench: the scenarios of issue 12, each a median ratio of interleaved runs against baselines
// measured in the same run, on the same machine, so the figures mean something where absolute
// times differ. Benchmarks are not tests: nothing here asserts a time. Uses the built CLI (dist),
// as users run it; the generated trees live in a temp folder and are removed afterwards.
//   STOWAGE_BENCH_RUNS   timed runs per contender (default 7)
//   STOWAGE_BENCH_ONLY   comma-separated scenarios (default no-change,cold-plan,steps,one-file; also builders)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { readE2eEnv, registryAnswers } from './lib/e2eEnv.mjs';
import { interleaved, line, peakRssMiB, run } from './lib/measure.mjs';
import { writeManyStepsProject, writeMlProject, writeMlTree } from './lib/mlProject.mjs';
import { fullDockerfile, oneFileEditor, writeDockerContext } from './lib/oneFile.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.STOWAGE_BENCH_CLI ?? join(repo, 'apps/cli/dist/stowage.mjs');
const RUNS = Number(process.env.STOWAGE_BENCH_RUNS ?? 7);
const ONLY = process.env.STOWAGE_BENCH_ONLY?.split(',');
const e2eState = process.env.STOWAGE_E2E_STATE ?? '/tmp/stowage-e2e';
const e2eEnvFile = join(e2eState, 'env');
/** The e2e harness's variables the bench uses (engine, registry, package index), where the environment does not set them. */
const loadE2eEnv = () => {
  const vars = readE2eEnv(e2eEnvFile);
  for (const k of ['DOCKER_HOST', 'STOWAGE_E2E_REGISTRY', 'STOWAGE_E2E_PYINDEX']) if (vars[k] !== undefined) process.env[k] ??= vars[k];
};
// Debian's docker 20.10 CLI: the one with a built-in BuildKit (the newer CLI needs buildx).
const docker = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
const work = mkdtempSync(join(tmpdir(), 'stowage-bench-'));
const stowage = (cwd, ...args) => () => run(process.execPath, [cli, ...args], { cwd });

/** The ML project, its plan's generated image, and a docker context shipping what Stowage ships (code under stowage_code/, requirement files, the Dockerfile). */
function mlProjectAndDockerContext() {
  const project = join(work, 'ml');
  const ctx = join(work, 'docker-context');
  if (!existsSync(project)) writeMlProject(project, { pyindex: process.env.STOWAGE_E2E_PYINDEX ?? 'http://127.0.0.1:18080/simple' });
  const plan = JSON.parse(stowage(project, 'plan', '--json')());
  const build = plan.images[0].buildSteps.find((s) => s.kind === 'docker-build');
  if (!existsSync(ctx)) {
    writeMlTree(join(ctx, 'stowage_code'));
    writeFileSync(join(ctx, 'stowage_code', 'requirements.txt'), 'stowage-demo-core==1.0.0\n');
    for (const r of plan.images[0].requirementFiles) writeFileSync(join(ctx, r.name), r.content);
    writeFileSync(join(ctx, 'Dockerfile'), build.dockerfile);
  }
  const dockerBuild = (buildkit, tag, ...flags) => () =>
    run(docker, ['build', '-q', ...flags, '--network', 'host', '--label', 'stowage-bench=1', '-t', tag, '.'], { cwd: ctx, env: { ...process.env, DOCKER_BUILDKIT: buildkit } });
  return { project, imageName: build.imageName, dockerBuild };
}

/** `stowage build` when a matching build exists vs the same Dockerfile and context fully cached. */
async function noChangeRebuild() {
  const { project, imageName, dockerBuild } = mlProjectAndDockerContext();
  stowage(project, 'build')();
  try {
    const result = await interleaved(
      {
        stowage: { run: stowage(project, 'build') },
        // The same build with the stat cache deleted first: every file is read, as before the cache.
        'stowage, no stat cache': { prepare: () => rmSync(join(project, '.stowage', 'cache'), { recursive: true, force: true }), run: stowage(project, 'build') },
        'docker classic': { run: dockerBuild('0', 'stowage-bench/classic:1') },
        'docker BuildKit': { run: dockerBuild('1', 'stowage-bench/buildkit:1') },
      },
      RUNS,
    );
    return line('no-change rebuild', result, '>= 40x faster than classic, >= 4x faster than BuildKit');
  } finally {
    spawnSync(docker, ['rmi', 'stowage-bench/classic:1', 'stowage-bench/buildkit:1', imageName], { stdio: 'ignore' });
  }
}

/** For the local builder's default: the same image built by BuildKit vs the classic builder, uncached. */
async function builders() {
  const { dockerBuild } = mlProjectAndDockerContext();
  try {
    const result = await interleaved(
      {
        'BuildKit, uncached': { run: dockerBuild('1', 'stowage-bench/buildkit:1', '--no-cache') },
        'classic, uncached': { run: dockerBuild('0', 'stowage-bench/classic:1', '--no-cache', '--force-rm') },
      },
      RUNS,
    );
    return line('local builders, uncached', result, 'choose the faster default');
  } finally {
    spawnSync(docker, ['rmi', 'stowage-bench/classic:1', 'stowage-bench/buildkit:1'], { stdio: 'ignore' });
    spawnSync(docker, ['image', 'prune', '-f', '--filter', 'label=stowage-bench=1'], { stdio: 'ignore' });
  }
}

/** `stowage plan` with no stat cache (first plan of a checkout) vs GNU tar piped into sha256sum. */
async function coldPlan() {
  const project = join(work, 'ml');
  if (!existsSync(project)) writeMlProject(project, { pyindex: process.env.STOWAGE_E2E_PYINDEX ?? 'http://127.0.0.1:18080/simple' });
  const cache = join(project, '.stowage', 'cache');
  const result = await interleaved(
    {
      'stowage plan': { prepare: () => rmSync(cache, { recursive: true, force: true }), run: stowage(project, 'plan') },
      'tar -c | sha256sum': { run: () => run('bash', ['-c', `tar -c -C '${project}' --exclude=./.stowage . | sha256sum`]) },
      'warm stowage plan': { run: stowage(project, 'plan') },
    },
    RUNS,
  );
  rmSync(cache, { recursive: true, force: true });
  const peak = peakRssMiB(process.execPath, [cli, 'plan'], { cwd: project });
  const memory = peak === undefined ? '' : ` | peak RSS of a cold plan ${peak.toFixed(0)} MiB`;
  return `${line('cold plan, 10,000 files + 100 MiB', result, 'cold plan <= 1.2x tar')}${memory}`;
}

/** Planning 2,000 steps vs 20 (steps in 50 settings groups). */
async function manySteps() {
  const big = join(work, 'steps-2000');
  const small = join(work, 'steps-20');
  for (const [dir, n] of [[big, 2000], [small, 20]]) {
    mkdirSync(dir, { recursive: true });
    writeManyStepsProject(dir, n);
  }
  const result = await interleaved({ '2,000 steps': { run: stowage(big, 'plan') }, '20 steps': { run: stowage(small, 'plan') } }, RUNS);
  return line('plan of 2,000 vs 20 steps', result, '2,000 steps <= 2x 20 steps');
}

/**
 * A one-file code change to a pushed image: `stowage build` on a stack with the local builder and an
 * `oci` registry vs `docker build` + `docker push` of the same image (classic builder, BuildKit),
 * each on its own copy of the tree and with a new edit of one source file before every run. Also
 * the peak RSS of a one-file build and of a full build (100 MiB context).
 */
async function oneFileChange() {
  const runId = randomBytes(4).toString('hex');
  // A repository of this run only: the registry may hold other runs' and other work's images.
  const prefix = `${process.env.STOWAGE_E2E_REGISTRY ?? '127.0.0.1:5000'}/stowage-bench-${runId}`;
  const label = `stowage-bench-run=${runId}`;
  const dir = join(work, 'one-file');
  const project = join(dir, 'stowage');
  const pyindex = process.env.STOWAGE_E2E_PYINDEX ?? 'http://127.0.0.1:18080/simple';
  writeMlProject(project, { pyindex, registry: prefix, labels: { 'stowage-bench': '1', 'stowage-bench-run': runId } });
  try {
    // Whatever the CLI plans, the baselines build the whole image (dependencies and code) with docker.
    const image = JSON.parse(stowage(project, 'plan', '--json')()).images[0];
    const build = image.buildSteps.find((s) => s.kind === 'docker-build');
    if (!build) throw new Error(`the plan of ${project} has no docker-build step to take the Dockerfile from`);
    const dockerfile = fullDockerfile(build.dockerfile);
    const contexts = { classic: join(dir, 'docker-classic'), buildkit: join(dir, 'docker-buildkit') };
    for (const ctx of Object.values(contexts)) writeDockerContext(ctx, project, { requirementFiles: image.requirementFiles, dockerfile });
    const buildAndPush = (ctx, buildkit, tag) => () => {
      run(docker, ['build', '-q', '--network', 'host', '--label', 'stowage-bench=1', '--label', label, '-t', tag, '.'], { cwd: ctx, env: { ...process.env, DOCKER_BUILDKIT: buildkit } });
      run(docker, ['push', '-q', tag]);
    };
    const editStowage = oneFileEditor(project);
    const result = await interleaved(
      {
        'stowage build': { prepare: editStowage, run: stowage(project, 'build') },
        'classic build+push': { prepare: oneFileEditor(join(contexts.classic, 'stowage_code')), run: buildAndPush(contexts.classic, '0', `${prefix}/docker-classic:latest`) },
        'BuildKit build+push': { prepare: oneFileEditor(join(contexts.buildkit, 'stowage_code')), run: buildAndPush(contexts.buildkit, '1', `${prefix}/docker-buildkit:latest`) },
      },
      RUNS,
    );
    editStowage();
    const oneFilePeak = peakRssMiB(process.execPath, [cli, 'build'], { cwd: project });
    const fullPeak = peakRssMiB(process.execPath, [cli, 'build', '--prevent-build-reuse'], { cwd: project });
    const memory = oneFilePeak === undefined ? '' : ` | peak RSS of a one-file build ${oneFilePeak.toFixed(0)} MiB, of a full build (100 MiB context) ${fullPeak.toFixed(0)} MiB (goal < 150 MiB)`;
    return `${line('one-file change -> pushed image', result, '>= 5x faster than docker build + push (either builder)')}${memory}`;
  } finally {
    // The images of this run only: tagged under its repository, or carrying its label. What was
    // pushed stays in the registry (scratch space of the harness, under $STOWAGE_E2E_STATE/registry-5000).
    const tags = spawnSync(docker, ['images', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).stdout ?? '';
    const ours = tags.split('\n').filter((t) => t.startsWith(`${prefix}/`) && !t.endsWith(':<none>'));
    if (ours.length) spawnSync(docker, ['rmi', ...ours], { stdio: 'ignore' });
    spawnSync(docker, ['image', 'prune', '-a', '-f', '--filter', `label=${label}`], { stdio: 'ignore' });
  }
}

const scenarios = { 'no-change': noChangeRebuild, 'cold-plan': coldPlan, steps: manySteps, 'one-file': oneFileChange, builders };
// `builders` (uncached builds, minutes) runs only when asked for: STOWAGE_BENCH_ONLY=builders.
const DEFAULT = ['no-change', 'cold-plan', 'steps', 'one-file'];
const selected = ONLY ?? DEFAULT;
const unknown = selected.filter((n) => !(n in scenarios));
if (unknown.length) {
  console.error(`STOWAGE_BENCH_ONLY: no scenario ${unknown.join(', ')} (there are ${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}
console.log(`stowage benchmarks: median of ${RUNS} interleaved runs after a warm-up; a/b = a's time / b's, per round, median`);
try {
  // The engine, base image, package index and (for one-file) the registries. up.sh is idempotent
  // and leaves what runs alone; the bench never stops them (other work on the machine may share
  // them): `down.sh` does.
  loadE2eEnv();
  const needsRegistry = selected.includes('one-file');
  const needsEngine = needsRegistry || selected.some((n) => n === 'no-change' || n === 'builders');
  const registryDown = needsRegistry && !(await registryAnswers(process.env.STOWAGE_E2E_REGISTRY ?? '127.0.0.1:5000'));
  if (needsEngine && (!existsSync(e2eEnvFile) || registryDown)) {
    run('bash', [join(repo, 'tooling/e2e/scripts/up.sh'), ...(needsRegistry ? [] : ['--no-registry'])], { stdio: ['ignore', 'ignore', 'inherit'] });
    loadE2eEnv();
    console.log('(started the e2e services with tooling/e2e/scripts/up.sh; stop them with down.sh when done)');
  }
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (!selected.includes(name)) continue;
    console.log(await scenario());
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
