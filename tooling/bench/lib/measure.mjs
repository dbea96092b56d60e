import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Runs a command and returns its stdout; throws with its stderr when it fails. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 10 * 60_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeIt(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/**
 * Times each contender `runs` times, interleaved (a, b, c, a, b, c, ...) after one warm-up each,
 * so that load from elsewhere on the machine hits all of them alike. `prepare` (untimed) runs
 * before every timed run of a contender (e.g. to delete a cache for a cold run). Returns each
 * contender's median, and the median over rounds of the first's time divided by the contender's
 * (`ratio`: below 1, the first is faster).
 */
export async function interleaved(contenders, runs) {
  const names = Object.keys(contenders);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) {
    await contenders[n].prepare?.();
    await contenders[n].run();
  }
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      await contenders[n].prepare?.();
      times[n].push(await timeIt(contenders[n].run));
    }
  }
  const first = names[0];
  return Object.fromEntries(
    names.map((n) => [n, { median: median(times[n]), ratio: median(times[first].map((t, i) => t / times[n][i])) }]),
  );
}

/**
 * Peak resident memory (MiB) of one run of a command, from GNU time; undefined where it is not
 * installed. Throws, with the command's stderr, when the command fails.
 */
export function peakRssMiB(cmd, args, opts = {}) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 10 * 60_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  const kib = Number(r.stderr.trim().split('\n').at(-1));
  return Number.isFinite(kib) ? kib / 1024 : undefined;
}

export const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** `first / baseline` with a reading: "0.04 (26.1x faster)" or "1.38 (1.38x the time)". */
export function ratioText(ratio) {
  return ratio < 1 ? `${ratio.toFixed(3)} (${(1 / ratio).toFixed(1)}x faster)` : `${ratio.toFixed(2)} (${ratio.toFixed(2)}x the time)`;
}

/** One line: the first contender's median, then each baseline's median and the ratio first / baseline. */
export function line(scenario, result, goal) {
  const [first, ...rest] = Object.keys(result);
  const parts = rest.map((n) => `${n} ${fmt(result[n].median)}: ${first}/${n} ${ratioText(result[n].ratio)}`);
  return `${scenario.padEnd(36)} ${first} ${fmt(result[first].median)} | ${parts.join(' | ')}${goal ? ` | goal: ${goal}` : ''}`;
}
