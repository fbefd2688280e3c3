/**
 * A webhook receiver on loopback for tests with many deliveries and several senders: it checks both
 * signatures of every request (refusing, 401, what fails), deduplicates by `webhook-id`, and counts,
 * per event, the requests that arrived and the most that were in flight at once. It can hold
 * requests unanswered (a receiver that is down in all but accepting connections).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { standardSignatureValid, trophySignatureValid } from './webhook-signatures.js';

export interface VerifyingReceiver {
  url: string;
  /** The webhook's secret, once it is created: requests are verified with it. */
  secret: string;
  /** While true, requests are held unanswered (until the sender gives up or dies). */
  holding: boolean;
  /** Milliseconds before answering 200 (so that two sends of one event would overlap). */
  delayMs: () => number;
  /** Requests per webhook-id, answered or not. */
  readonly arrivals: Map<string, number>;
  /** The body of every event answered 200, by webhook-id. */
  readonly delivered: Map<string, string>;
  /** Requests whose signatures failed, or that came without a webhook-id. */
  readonly invalid: string[];
  /** Requests held right now. */
  held(): number;
  /** The most requests of one webhook-id in flight at the same moment. */
  maxInFlight(): number;
  /** Requests answered 200, per sending process (`pids` of startVerifyingReceiver), by pid. */
  readonly bySender: Map<number, number>;
  /** Resolves once `count` distinct events have been answered 200; rejects after `timeoutMs`. */
  waitForDelivered(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `senders()` lists the pids of the processes that may connect: each connection is attributed to
 * the one holding its client socket (Linux /proc), so that a test can tell who delivered what.
 */
export async function startVerifyingReceiver(senders: () => number[] = () => []): Promise<VerifyingReceiver> {
  const inFlight = new Map<string, number>();
  let most = 0;
  const heldResponses = new Set<http.ServerResponse>();
  const owners = new WeakMap<Socket, number>();
  const receiver: VerifyingReceiver = {
    url: '',
    secret: '',
    holding: false,
    delayMs: () => 0,
    arrivals: new Map(),
    delivered: new Map(),
    invalid: [],
    held: () => heldResponses.size,
    maxInFlight: () => most,
    bySender: new Map(),
    waitForDelivered: async (count, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (receiver.delivered.size < count) {
        if (Date.now() > deadline) throw new Error(`${receiver.delivered.size} events delivered, not ${count}, in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const got = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      const id = request.headers['webhook-id'];
      if (typeof id !== 'string' || !standardSignatureValid(receiver.secret, got) || !trophySignatureValid(receiver.secret, got)) {
        receiver.invalid.push(`${String(id)}: ${got.body.slice(0, 100)}`);
        response.writeHead(401).end();
        return;
      }
      receiver.arrivals.set(id, (receiver.arrivals.get(id) ?? 0) + 1);
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      most = Math.max(most, now);
      response.on('close', () => inFlight.set(id, (inFlight.get(id) ?? 1) - 1));
      if (receiver.holding) {
        heldResponses.add(response);
        response.on('close', () => heldResponses.delete(response));
        return;
      }
      setTimeout(() => {
        if (!receiver.delivered.has(id)) receiver.delivered.set(id, got.body);
        const owner = owners.get(request.socket);
        if (owner !== undefined) receiver.bySender.set(owner, (receiver.bySender.get(owner) ?? 0) + 1);
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }, receiver.delayMs());
    });
  });
  server.on('connection', (socket: Socket) => {
    const pids = senders();
    if (pids.length === 0 || socket.remotePort === undefined) return;
    const owner = ownerOfPort(socket.remotePort, (server.address() as AddressInfo).port, pids);
    if (owner !== undefined) owners.set(socket, owner);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Which of `pids` holds the TCP socket from local port `port` to `serverPort` (via /proc/net/tcp and /proc/<pid>/fd). */
function ownerOfPort(port: number, serverPort: number, pids: readonly number[]): number | undefined {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const line = fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .find((l) => {
      const [, local, remote] = l.trim().split(/\s+/);
      return local?.endsWith(`:${hex(port)}`) && remote?.endsWith(`:${hex(serverPort)}`);
    });
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) return undefined;
  for (const pid of pids) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      }
    } catch {
      // The process is gone, or the fd closed while reading.
    }
  }
  return undefined;
}
