import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const run = promisify(execFile);

/** The shell blocks of the README's walkthrough, exactly as a reader would paste them. */
function walkthroughScript(): string {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = readme.split('## Walkthrough with curl')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

describe('the README walkthrough', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-readme-'));
    server = await startServerProcess({ LAUREL_DATA_DIR: path.join(dataDir, 'data'), LAUREL_MASTER_KEY: '' });
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('works as written, command by command', async () => {
    const script = walkthroughScript().replaceAll('http://127.0.0.1:8080', server.url);
    expect(script).toContain('curl');
    // Each curl answer on its own line (the README's commands are left exactly as written).
    fs.writeFileSync(path.join(dataDir, '.curlrc'), 'write-out = "\\n"\n');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dataDir, env: { ...process.env, HOME: dataDir } });
    const outputs = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const event = outputs.find((o) => o.metricKey === 'words');
    expect(event.achievements.map((a: any) => a.tier.key)).toEqual(['bronze', 'silver']);
    expect(event.points.xp).toMatchObject({ total: 150, level: { key: 'author' } });
    const activated = outputs.find((o) => o.achievement?.key === 'writer' && o.achievement.status === 'active');
    expect(activated.achievement.condition).toBe('Write 1,000 words (Bronze) · 5,000 (Silver) · 10,000 (Gold)');
    const mine = outputs.at(-1);
    expect(mine.find((a: any) => a.key === 'writer').progress).toMatchObject({ current: 6000, target: 10000, percent: 60 });
    expect(mine.find((a: any) => a.key === 'profile').achievedAt).not.toBeNull();
  });
});
