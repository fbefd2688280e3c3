import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLaurel, type ServerProcess, startServerProcess } from '../support/server-process.js';

describe('the laurel command', () => {
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'laurel-cli-'));
    server = await startServerProcess({ LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: '' });
  });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('on first start generates an admin key into a file only its owner can read, and says where', async () => {
    const file = path.join(dataDir, 'master.key');
    expect(server.output()).toContain(`written to ${file}`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(file, 'utf8').trim();
    const metrics = await fetch(`${server.url}/admin/v1/metrics`, { headers: { 'x-api-key': key } });
    expect(metrics.status).toBe(200);
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite' });
  });

  it('stores only a hash of the generated key', async () => {
    const key = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim();
    const db = fs.readFileSync(path.join(dataDir, 'laurel.db'));
    const wal = fs.existsSync(path.join(dataDir, 'laurel.db-wal')) ? fs.readFileSync(path.join(dataDir, 'laurel.db-wal')) : Buffer.alloc(0);
    expect(db.includes(key)).toBe(false);
    expect(wal.includes(key)).toBe(false);
  });

  it('creates application keys with `keys create`', async () => {
    const created = await runLaurel(['keys', 'create', '--name', 'cli'], { LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: '' });
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^laurel_app_/);
    expect((await fetch(`${server.url}/v1/achievements`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/admin/v1/metrics`, { headers: { 'x-api-key': key } })).status).toBe(403);
  });

  it('reports an up-to-date schema with `migrate`', async () => {
    const migrated = await runLaurel(['migrate'], { LAUREL_DATA_DIR: dataDir });
    expect(migrated).toMatchObject({ code: 0, stdout: 'The schema is up to date\n' });
  });

  it('shuts down cleanly on SIGTERM, and on the next start keeps the key it made', async () => {
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('Shutting down');
    server = await startServerProcess({ LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: '' });
    expect(server.output()).toContain(`Admin key: in ${path.join(dataDir, 'master.key')}`);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.key'))).toEqual(['master.key']);
  });

  it('prunes old events with `prune-events`', async () => {
    const pruned = await runLaurel(['prune-events', '--older-than', '30'], { LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: 'x' });
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^Deleted 0 events, 0 idempotency keys and 0 finished jobs from before \d{4}-/);
    const refused = await runLaurel(['prune-events', '--older-than', '0'], { LAUREL_DATA_DIR: dataDir, LAUREL_MASTER_KEY: 'x' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Keep at least one day of events');
  });

  it('prints its version with --version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await runLaurel(['--version'], {})).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('on a port already in use names the settings to change, and writes nothing to the data directory', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const freshDir = path.join(dataDir, 'not-yet');
    try {
      const refused = await runLaurel(['serve'], { LAUREL_DATA_DIR: freshDir, LAUREL_PORT: String(port), LAUREL_MASTER_KEY: '' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(refused.stderr).toContain('--port');
      expect(refused.stderr).toContain('LAUREL_PORT');
      expect(fs.existsSync(freshDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('refuses a bad setting with a clear message', async () => {
    const bad = await runLaurel(['serve'], { LAUREL_DATA_DIR: dataDir, LAUREL_PORT: 'eighty' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LAUREL_PORT must be a whole number');
  });
});
