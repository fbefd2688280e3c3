/**
 * The LISTEN connection only listens: dropped silently (nothing closes it, nothing more arrives),
 * it must still be noticed, so that key lookups stop being cached and it is opened again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Notifications } from '../../src/store/notifications.js';
import { DIALECTS, POSTGRES_URL } from '../support/dialects.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

describe.skipIf(!DIALECTS.includes('postgres'))('the listening connection (postgres)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('notices a connection that silently stops passing data, and listens again', async () => {
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    cleanup.push(() => proxy.close());
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const warnings: string[] = [];
    const notifications = new Notifications({ connectionString: viaProxy.toString() }, (m) => warnings.push(m), 200);
    cleanup.push(() => notifications.close());
    const states: boolean[] = [];
    notifications.subscribe('laurel_test_silent_drop', { message: () => undefined, state: (live) => states.push(live) });
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => states.length === 1);

    proxy.stall();
    await until(() => states.length === 3);
    expect(states).toEqual([true, false, true]);
    expect(warnings).toEqual(['Lost the connection listening for changes from other processes; reconnecting']);
  }, 30_000);
});
