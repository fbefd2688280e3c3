/**
 * Starting while PostgreSQL does not answer: the server keeps trying for LAUREL_DATABASE_WAIT_S,
 * saying so, and starts as soon as the database answers; past the wait it exits 1 with the cause.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchema, DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { laurelCommand, runLaurel } from '../support/server-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('waiting for the database at start', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('exits 1 naming the cause when the database never answers', async () => {
    const port = await closedPort();
    const run = await runLaurel(['serve'], {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      LAUREL_DATABASE_WAIT_S: '1',
      LAUREL_PORT: '0',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/does not answer \(.*ECONNREFUSED.*\); trying again for up to 1 s/);
    expect(run.stderr).toMatch(/did not answer within 1 s \(LAUREL_DATABASE_WAIT_S\)/);
  }, 30_000);

  it.skipIf(!DIALECTS.includes('postgres'))(
    'starts as soon as a late database answers',
    async () => {
      const target = new URL(POSTGRES_URL);
      const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      cleanup.push(() => proxy.close());
      await proxy.cut();
      const schema = await createSchema();
      cleanup.push(() => schema.drop());
      const url = new URL(POSTGRES_URL);
      url.host = `127.0.0.1:${proxy.port}`;
      const child = laurelCommand(['serve'], {
        LAUREL_PORT: '0',
        DATABASE_URL: url.toString(),
        LAUREL_DATABASE_SCHEMA: schema.name,
        LAUREL_MASTER_KEY: 'k',
        LAUREL_DATABASE_WAIT_S: '60',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      cleanup.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      });
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      const seen = (pattern: RegExp) =>
        new Promise<RegExpMatchArray>((resolve) => {
          const check = () => {
            const match = output.match(pattern);
            if (match) {
              child.stdout?.off('data', check);
              resolve(match);
            }
          };
          child.stdout?.on('data', check);
          check();
        });
      expect(await seen(/does not answer .*trying again for up to 60 s/)).toBeTruthy();
      await proxy.restore();
      const [, address] = await seen(/listening on (http:\/\/[^\s]+)/);
      expect((await fetch(`${address}/readyz`)).status).toBe(200);
    },
    60_000,
  );
});
