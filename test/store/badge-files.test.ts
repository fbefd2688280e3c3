import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BadgeFiles } from '../../src/store/badge-files.js';

describe('badge files on a failing disk', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-badges-'));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('answers storage_unavailable (503) for a full disk, leaving no partial file, and passes other errors on', async () => {
    const files = new BadgeFiles(dataDir);
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(full);
    await expect(files.save('default', 'a.png', new Uint8Array([1, 2, 3]))).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'storage_unavailable',
    });
    expect(fs.readdirSync(path.join(dataDir, 'badges', 'default'))).toEqual([]);

    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    vi.spyOn(fsPromises, 'rename').mockRejectedValueOnce(denied);
    await expect(files.save('default', 'b.png', new Uint8Array([1]))).rejects.toBe(denied);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
