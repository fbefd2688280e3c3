import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { startLaurel, type TestLaurel } from '../support/laurel.js';

/** Sends `head` on a raw connection, then one more byte every 100 ms; resolves with what came back once the server closes. */
function trickle(port: number, head: string, bodyLength = 0): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent++ < bodyLength) socket.write('1');
    }, 100);
    // Far beyond the configured time-out: without one the server would keep listening.
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The server still held the connection after 15 s (answer so far: ${JSON.stringify(answer)})`));
    }, 15_000);
    socket.on('data', (d) => (answer += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

describe('request time-outs', () => {
  let t: TestLaurel;
  let port: number;
  beforeAll(async () => {
    t = await startLaurel({ settings: { requestTimeoutS: 1, headersTimeoutS: 1 } });
    await t.laurel.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.laurel.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t.close());

  const event = (body: string) =>
    fetch(`http://127.0.0.1:${port}/v1/metrics/steps/event`, {
      method: 'POST',
      headers: { 'x-api-key': t.appKey, 'content-type': 'application/json' },
      body,
    });

  it('answers 408 and closes a connection whose body trickles in, and still serves everyone else', async () => {
    const body = JSON.stringify({ user: { id: 'slow' }, value: 1 });
    const slow = trickle(
      port,
      `POST /v1/metrics/steps/event HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${t.appKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 200}\r\n\r\n${body}`,
      200,
    );
    expect((await event(JSON.stringify({ user: { id: 'fast' }, value: 1 }))).status).toBe(201);
    const { answer, ms } = await slow;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('{"error":"The request did not arrive in time","code":"request_timeout"}');
    // One second of time-out, checked every second: well under five.
    expect(ms).toBeLessThan(5_000);
    expect((await event(JSON.stringify({ user: { id: 'fast' }, value: 1 }))).status).toBe(201);
  });

  it("answers what is not HTTP with 400 in Laurel's error shape, and closes the connection", async () => {
    const { answer } = await trickle(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"malformed_request"');
  });

  it('closes a connection whose headers never end', async () => {
    const { answer } = await trickle(port, `GET /v1/achievements HTTP/1.1\r\nHost: localhost\r\nX-Slow: `, 200);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('reads its time-outs from the environment, 30 s for a request by default', () => {
    expect(loadSettings({}).requestTimeoutS).toBe(30);
    expect(loadSettings({ LAUREL_REQUEST_TIMEOUT_S: '5', LAUREL_HEADERS_TIMEOUT_S: '2' })).toMatchObject({
      requestTimeoutS: 5,
      headersTimeoutS: 2,
    });
    expect(() => loadSettings({ LAUREL_REQUEST_TIMEOUT_S: 'soon' })).toThrow(/LAUREL_REQUEST_TIMEOUT_S/);
  });
});
