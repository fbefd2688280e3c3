/**
 * Badge images on disk, under the data directory: `<dataDir>/badges/<community id>/<id>.<ext>`,
 * written once, never changed. Each community writes only into its own directory, so no upload can
 * land on another community's file. (Files uploaded before this layout sit directly in badges/.)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { badgeDirectoryOf } from '../domain/badge-url.js';

export class BadgeFiles {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = path.resolve(dataDir, 'badges');
  }

  async save(communityId: string, fileName: string, bytes: Uint8Array): Promise<void> {
    const directory = path.join(this.directory, badgeDirectoryOf(communityId));
    await fs.mkdir(directory, { recursive: true });
    const target = path.join(directory, fileName);
    // Written under a temporary name, then renamed: a reader never sees half a file.
    const temporary = `${target}.${process.pid}.tmp`;
    await fs.writeFile(temporary, bytes, { mode: 0o644, flag: 'wx' });
    await fs.rename(temporary, target);
  }
}
