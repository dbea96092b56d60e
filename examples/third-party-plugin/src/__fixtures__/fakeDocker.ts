import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_DIGEST = `sha256:${'ab'.repeat(32)}`;

/** What a fake docker run recorded: its argv, the bytes it read, the DOCKER_CONFIG it saw and that folder's config.json. */
export interface FakeDockerRun {
  argv: string[];
  stdinBytes: number;
  dockerConfig: string;
  configJson: string;
}

/**
 * A `docker` stand-in (a shell script) that records how it was called and answers like the real
 * CLI: `build` reads the context from stdin, `push` prints a digest line. `exitCode` makes it fail.
 */
export function fakeDocker(exitCode = 0): { binary: string; runs(): FakeDockerRun[] } {
  const dir = mkdtempSync(join(tmpdir(), 'stowage-fake-docker-'));
  const binary = join(dir, 'docker');
  writeFileSync(
    binary,
    `#!/bin/sh
n=$(ls "${dir}" | grep -c '^run-')
out="${dir}/run-$n"; mkdir "$out"
printf '%s\\n' "$@" > "$out/argv"
if [ "$1" = build ]; then wc -c | tr -d ' ' > "$out/stdin"; echo "Step 1/1 : FROM scratch"; fi
printf '%s' "\${DOCKER_CONFIG:-}" > "$out/dockerconfig"
[ -n "\${DOCKER_CONFIG:-}" ] && cat "$DOCKER_CONFIG/config.json" > "$out/config" 2>/dev/null
if [ "$1" = push ]; then echo "The push refers to repository [x]"; echo "1: digest: ${FAKE_DIGEST} size: 528"; fi
[ ${exitCode} -ne 0 ] && echo "error: something broke" >&2
exit ${exitCode}
`,
  );
  chmodSync(binary, 0o755);
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  const runs = () => {
    const out: FakeDockerRun[] = [];
    for (let n = 0; read(join(dir, `run-${n}`, 'argv')); n++) {
      const run = join(dir, `run-${n}`);
      out.push({ argv: read(join(run, 'argv')).trimEnd().split('\n'), stdinBytes: Number(read(join(run, 'stdin')) || 0), dockerConfig: read(join(run, 'dockerconfig')), configJson: read(join(run, 'config')) });
    }
    return out;
  };
  return { binary, runs };
}
