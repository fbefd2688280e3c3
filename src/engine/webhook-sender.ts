/**
 * One HTTP POST of a webhook delivery. Built on node:http and node:https rather than fetch: their
 * `lookup` option hands the connection the address the SSRF guard checked (fetch would need the
 * undici package's Agent for that, which Laurel does not depend on). The attempt as a whole (name
 * resolution, connection, answer) has a time limit.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RefusedAddress, type ResolvedAddress, resolveWebhookHost } from './webhook-address.js';

export interface SenderOptions {
  timeoutMs: number;
  /** Connect to loopback, private and link-local addresses too (tests, private networks). */
  allowPrivate: boolean;
  userAgent: string;
}

export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** What an error message keeps of a refusing receiver's answer. */
const ANSWER_EXCERPT = 200;

export class WebhookSender {
  /** Kept-alive connections, to the address each was opened to (checked then). */
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(private readonly options: SenderOptions) {}

  /** POSTs `body` to `url` with `headers`; 2xx is delivered, anything else (or no answer in time) is not. */
  async post(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`No answer within ${this.options.timeoutMs / 1000} s`)), this.options.timeoutMs);
    });
    const abort = new AbortController();
    try {
      const target = new URL(url);
      const resolved = await Promise.race([resolveWebhookHost(target.hostname, this.options.allowPrivate), deadline]);
      return await Promise.race([this.request(target, resolved, headers, body, abort.signal), deadline]);
    } catch (error) {
      abort.abort();
      return { ok: false, status: null, error: describe(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private request(
    target: URL,
    resolved: ResolvedAddress,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal,
  ): Promise<SendResult> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [resolved]);
      else callback(null, resolved.address, resolved.family);
    };
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const options: http.RequestOptions = {
      method: 'POST',
      agent: this.agents[protocol],
      lookup: pinned,
      signal,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': this.options.userAgent,
      },
    };
    return new Promise((resolve, reject) => {
      const answered = (response: http.IncomingMessage) => {
        const status = response.statusCode ?? 0;
        let answer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (answer.length < ANSWER_EXCERPT) answer += chunk;
        });
        response.on('error', reject);
        response.on('end', () => {
          const excerpt = answer.slice(0, ANSWER_EXCERPT).replace(/\s+/g, ' ').trim();
          if (status >= 200 && status < 300) resolve({ ok: true, status });
          else resolve({ ok: false, status, error: `Answered ${status}${excerpt ? `: ${excerpt}` : ''}` });
        });
      };
      const request = protocol === 'https:' ? https.request(target, options, answered) : http.request(target, options, answered);
      request.on('error', reject);
      request.end(body);
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof RefusedAddress) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
