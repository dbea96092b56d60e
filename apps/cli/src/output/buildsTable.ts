import stringWidth from 'string-width';
import type { PipelineBuild } from '@stowage/core';
import { formatAge, formatBytes, formatDuration } from './humanUnits.js';

const HEADERS = ['ID', 'PIPELINE', 'STACK', 'IMAGES', 'SIZE', 'TOOK', 'CREATED'] as const;

/** `builds list`: columns as wide as their widest cell (by display width), so long names never break them. */
export function buildsTable(builds: readonly PipelineBuild[], now: number): string {
  const rows = builds.map((b) => {
    const sizes = b.images.map((i) => i.sizeBytes).filter((s): s is number => s !== undefined);
    return [
      b.id,
      b.pipeline,
      b.stack.name,
      String(b.images.length),
      sizes.length ? formatBytes(sizes.reduce((a, s) => a + s, 0)) : '-',
      formatDuration(b.durationSeconds),
      `${formatAge(b.created, now)} (${b.created.replace(/\.\d+Z$/, 'Z')})`,
    ];
  });
  const table = [[...HEADERS], ...rows];
  const widths = HEADERS.map((_, col) => Math.max(...table.map((r) => stringWidth(r[col]!))));
  return table.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell + ' '.repeat(widths[col]! - stringWidth(cell)))).join('  ')).join('\n') + '\n';
}
