import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildLogs } from './BuildLogs.js';

describe('BuildLogs', () => {
  it('a log folder that goes away mid-build costs the logs, never the build: no throw, the reason kept', () => {
    const state = mkdtempSync(join(tmpdir(), 'stowage-logs-'));
    const logs = BuildLogs.start(state);
    logs.line('train', 'step 1');
    rmSync(logs.dir, { recursive: true, force: true });
    expect(() => logs.line('evaluate', 'step 1')).not.toThrow();
    expect(() => logs.finish({ pipeline: 'p', stack: 's', started: new Date().toISOString(), seconds: 1, outcome: 'failed', images: [] })).not.toThrow();
    expect(logs.failure).toMatch(/ENOENT/);
  });
});
