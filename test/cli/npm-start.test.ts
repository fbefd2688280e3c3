/**
 * `npm start` as a process manager or a container runs it: one PID, signalled to stop. npm passes
 * SIGTERM to its child, so the child must be the server itself (the start script `exec`s node), or
 * the server would outlive npm, holding the port and the database.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changedParts } from '../../scripts/build.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-npm-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  // Long enough for the rebuild npm start does when the sources changed since the last build.
  it('stops the server gracefully when npm is sent SIGTERM, freeing the port', { timeout: 300_000 }, async () => {
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, LAUREL_PORT: '0', LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: 'npm-start-test', LAUREL_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (d) => (output += d));
    npm.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      npm.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      npm.stdout.on('data', () => {
        const match = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
        if (match) resolve(Number(match[1]));
      });
    });
    const serverPid = Number(output.match(/"pid":(\d+)/)?.[1]);
    try {
      expect(serverPid).not.toBe(npm.pid);
      expect(isRunning(serverPid)).toBe(true);
      expect(changedParts()).toEqual([]);

      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('"signal":"SIGTERM","msg":"Shutting down: finishing requests in flight"');
      expect(isRunning(serverPid)).toBe(false);
      const probe = net.createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen({ port, host: '127.0.0.1' }, resolve));
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      // A failing run must not leave a server behind.
      if (isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  });
});
