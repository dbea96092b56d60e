// pnpm bench: each figure is a ratio against a baseline measured in the same run, on the same
// machine, so it says something even where absolute times differ. Uses the built packages (dist),
// as users run them. Needs the e2e services (started here) for the no-change rebuild.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestContext, selectContextFiles } from '@stowage/core';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(repo, 'apps/cli/dist/stowage.mjs');
const RUNS = Number(process.env.STOWAGE_BENCH_RUNS ?? 7);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function measure(fn) {
  await fn(); // warm-up
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeIt(fn));
  return median(times);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 10 * 60_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function row(name, stowageMs, baselineName, baselineMs, extra = '') {
  const ratio = stowageMs / baselineMs;
  console.log(`${name.padEnd(34)} stowage ${stowageMs.toFixed(1).padStart(8)} ms | ${baselineName.padEnd(34)} ${baselineMs.toFixed(1).padStart(8)} ms | ratio ${ratio.toFixed(2)}x${extra}`);
  return ratio;
}

async function noChangeRebuild() {
  run('bash', [join(repo, 'tooling/e2e/scripts/up.sh'), '--no-registry'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const docker = process.env.STOWAGE_E2E_DOCKER ?? (spawnSync('test', ['-x', '/usr/bin/docker']).status === 0 ? '/usr/bin/docker' : 'docker');
  const dir = mkdtempSync(join(tmpdir(), 'stowage-bench-'));
  cpSync(join(repo, 'examples/quickstart'), dir, { recursive: true, filter: (s) => !s.includes('.stowage') });
  const stowage = () => run(process.execPath, [cli, 'build', '--json'], { cwd: dir });
  const build = JSON.parse(stowage());
  const image = build.images.find((i) => i.steps.includes('train'));
  // The same Dockerfile and context, built by docker itself, fully cached (warm-up builds it once).
  const ctx = `${dir}-docker-context`;
  cpSync(dir, ctx, { recursive: true, filter: (s) => !s.includes('.stowage') });
  const reqs = build.images.find((i) => i.key === image.key).requirements;
  for (const r of reqs) writeFileSync(join(ctx, r.name), r.content);
  writeFileSync(join(ctx, '.dockerignore'), '*\n!steps/\n!requirements.txt\n!.stowage_*\n');
  writeFileSync(join(ctx, 'Dockerfile.bench'), image.dockerfiles.at(-1).content);
  const dockerBuild = () => run(docker, ['build', '-q', '--network', 'host', '-f', 'Dockerfile.bench', '-t', 'stowage-bench/baseline:1', '.'], { cwd: ctx });
  const s = await measure(stowage);
  const d = await measure(dockerBuild);
  spawnSync(docker, ['rmi', 'stowage-bench/baseline:1'], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
  rmSync(ctx, { recursive: true, force: true });
  return row('no-change rebuild (quickstart)', s, 'docker build, fully cached', d);
}

async function contextCreation() {
  const root = mkdtempSync(join(tmpdir(), 'stowage-bench-tree-'));
  for (let d = 0; d < 100; d++) {
    const dir = join(root, `pkg${String(d).padStart(3, '0')}`, 'mod');
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file${f}.py`), `# module ${d}/${f}\n${'x = 1\n'.repeat(20 + (f % 40))}`);
  }
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const before = process.memoryUsage().rss;
  const s = await measure(async () => {
    const selection = await selectContextFiles({ root, dockerignoreFile: null });
    await digestContext({ selection });
  });
  clearInterval(sampler);
  const t = await measure(() => run('bash', ['-c', `tar -c -C '${root}' . | sha256sum`]));
  rmSync(root, { recursive: true, force: true });
  return row('context for 10,000 files', s, 'GNU tar -c | sha256sum', t, ` (peak RSS +${((peak - before) / 1048576).toFixed(0)} MiB)`);
}

console.log(`stowage benchmarks (median of ${RUNS} runs after a warm-up; ratio = stowage / baseline, lower is better)`);
try {
  await contextCreation();
  await noChangeRebuild();
} finally {
  // Stops only what up.sh started (by its pid files).
  spawnSync('bash', [join(repo, 'tooling/e2e/scripts/down.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
}
