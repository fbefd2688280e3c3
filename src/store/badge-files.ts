/** Badge images on disk, under the data directory: `<dataDir>/badges/<id>.<ext>`, written once, never changed. */
import fs from 'node:fs/promises';
import path from 'node:path';

export class BadgeFiles {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = path.resolve(dataDir, 'badges');
  }

  async save(fileName: string, bytes: Uint8Array): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    const target = path.join(this.directory, fileName);
    // Written under a temporary name, then renamed: a reader never sees half a file.
    const temporary = `${target}.${process.pid}.tmp`;
    await fs.writeFile(temporary, bytes, { mode: 0o644 });
    await fs.rename(temporary, target);
  }
}
