/**
 * A full disk, injected at the file-system layer (the unit-level counterpart of the e2e suite's
 * full tmpfs): every write of the store fails with ENOSPC, as `write(2)` does on a full device.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as FsPromises from 'node:fs/promises';

vi.mock('node:fs/promises', async (original) => {
  const fs = await original<typeof FsPromises>();
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  return {
    ...fs,
    open: async (...args: Parameters<typeof fs.open>) => {
      const handle = await fs.open(...args);
      return Object.assign(Object.create(handle) as typeof handle, {
        writeFile: async () => Promise.reject(full()),
        close: () => handle.close(),
      });
    },
  };
});

const { BuildStore } = await import('./BuildStore.js');

describe('a full disk (ENOSPC injected)', () => {
  it('checkWritable fails before building, with what to do; no probe file is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-enospc-'));
    await expect(new BuildStore(dir).checkWritable()).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      exitCode: 1,
      message: expect.stringMatching(/^cannot write build records in .*: no space is left on the device \(ENOSPC at .*\)$/),
      hint: expect.stringContaining('free some disk space'),
    });
    expect(readdirSync(join(dir, 'builds'))).toEqual([]);
  });

  it('a save that fails leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stowage-enospc-'));
    const store = new BuildStore(dir);
    const build = { id: store.newId(), pipeline: 'p', stack: { name: 'default', checksum: 'sha256:s' }, checksum: 'sha256:c', images: [], containsCode: false, isLocal: true, toolVersion: 't', pythonVersion: '3.11', created: new Date().toISOString(), durationSeconds: 1 };
    await expect(store.save(build, { afterBuild: true })).rejects.toMatchObject({ code: 'BUILD_FAILED', message: expect.stringContaining('nothing was recorded') });
    expect(readdirSync(join(dir, 'builds'))).toEqual([]);
  });
});
