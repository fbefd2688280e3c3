/**
 * Badge images on disk, under the data directory: `<dataDir>/badges/<community id>/<id>.<ext>`,
 * written once, never changed. Each community writes only into its own directory, so no upload can
 * land on another community's file. (Files uploaded before this layout sit directly in badges/.)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { badgeDirectoryOf } from '../domain/badge-url.js';
import { unavailableError } from './availability.js';

/** File-system answers of a disk that refuses writes, not of a bad request. */
const STORAGE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

export class BadgeFiles {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = path.resolve(dataDir, 'badges');
  }

  async save(communityId: string, fileName: string, bytes: Uint8Array): Promise<void> {
    const directory = path.join(this.directory, badgeDirectoryOf(communityId));
    const target = path.join(directory, fileName);
    // Written under a temporary name, then renamed: a reader never sees half a file.
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      await fs.mkdir(directory, { recursive: true });
      await fs.writeFile(temporary, bytes, { mode: 0o644, flag: 'wx' });
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      const code = (error as NodeJS.ErrnoException).code;
      throw code !== undefined && STORAGE_ERRORS.has(code) ? unavailableError('storage') : error;
    }
  }
}
