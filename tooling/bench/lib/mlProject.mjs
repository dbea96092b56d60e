import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE_FOLDERS = 100;
export const FILES_PER_FOLDER = 100;
export const DATA_MIB = 100;

/**
 * A generated ML project's files below `root`: 10,000 Python sources in 100 folders and a 100 MiB
 * `data/` folder (ten 10 MiB files of pseudo-random bytes). Deterministic: the same bytes every
 * time, so two copies hash alike.
 */
export function writeMlTree(root) {
  for (let d = 0; d < SOURCE_FOLDERS; d++) {
    const dir = join(root, 'src', `pkg${String(d).padStart(3, '0')}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_FOLDER; f++) {
      writeFileSync(join(dir, `mod${f}.py`), `# module ${d}/${f}\n${'x = 1\n'.repeat(20 + (f % 40))}`);
    }
  }
  mkdirSync(join(root, 'data'), { recursive: true });
  const part = Buffer.alloc(10 << 20);
  for (let i = 0; i < DATA_MIB / 10; i++) {
    let x = (i + 1) * 2654435761;
    for (let o = 0; o < part.length; o += 4) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0; // LCG: incompressible enough, and fast
      part.writeUInt32LE(x, o);
    }
    writeFileSync(join(root, 'data', `part${i}.bin`), part);
  }
}

/**
 * `stowage.yaml` of a project with one image that has the code copied in: on the default stack (the
 * local engine), or with `registry` (e.g. `127.0.0.1:5000/stowage-bench-1a2b`) on a stack `bench` of
 * the local image builder and an `oci` container registry at that uri. `labels` go on the image
 * (`build_options.labels`).
 */
export function writeMlProject(root, { pyindex, registry, labels }) {
  writeMlTree(root);
  writeFileSync(join(root, 'requirements.txt'), 'stowage-demo-core==1.0.0\n');
  writeFileSync(
    join(root, 'stowage.yaml'),
    [
      'pipeline: { name: bench, python_version: "3.11" }',
      'settings:',
      '  docker:',
      '    parent_image: python:3.11-slim',
      '    python_package_installer: pip',
      '    requirements: requirements.txt',
      `    environment: { PIP_INDEX_URL: "${pyindex}", PIP_TRUSTED_HOST: 127.0.0.1 }`,
      `    build_config: { build_options: { network_mode: host${labels ? `, labels: ${JSON.stringify(labels)}` : ''} } }`,
      'steps:',
      '  train: { command: [python, -m, src.pkg000.mod0] }',
      ...(registry
        ? [
            'stacks:',
            '  bench:',
            '    image_builder: { flavor: local }',
            `    container_registry: { flavor: oci, uri: "${registry}" }`,
            '    artifact_store: { flavor: local }',
            'active_stack: bench',
          ]
        : []),
      '',
    ].join('\n'),
  );
}

/**
 * A project of `steps` steps in `groups` settings groups (step i gets group i % groups's
 * environment and requirement, so steps of a group share an image), with a one-file source tree:
 * what is measured is planning, not digesting.
 */
export function writeManyStepsProject(root, steps, groups = 50) {
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'src', 'main.py'), 'print("hi")\n');
  const lines = [
    `pipeline: { name: steps${steps}, python_version: "3.11" }`,
    'settings:',
    '  docker: { parent_image: python:3.11-slim, requirements: [pandas==2.2.0] }',
    'steps:',
  ];
  for (let i = 0; i < steps; i++) {
    const g = i % groups;
    lines.push(`  step${i}:`, `    settings: { docker: { environment: { GROUP: "${g}" }, requirements: [pandas==2.2.0, "pkg${g}==1.0"] } }`);
  }
  writeFileSync(join(root, 'stowage.yaml'), `${lines.join('\n')}\n`);
}
