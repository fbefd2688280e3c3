/**
 * HTTP load with autocannon. Latency percentiles are computed from every response's own time
 * (autocannon's `response` event, sub-millisecond), not from its integer-millisecond histogram.
 */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  /** How long to run; or, with `amount`, run until that many requests have been answered. */
  seconds: number;
  amount?: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Path and body of each request. */
  next: () => { path: string; body?: string };
  /** Seconds before autocannon gives up on a response (default 30). */
  timeoutS?: number;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  /** Successful (2xx) requests per second. */
  rps: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** The same over every answer, refusals (429, 503) included. */
  allLatencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Status codes other than 2xx, with their counts. */
  statusCodes: Record<string, number>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const all: number[] = [];
  const statusCodes: Record<string, number> = {};
  // Without a callback autocannon returns its instance (an EventEmitter) made thenable.
  const instance = autocannon({
    url: spec.url,
    // autocannon refuses more connections than requests.
    connections: spec.amount === undefined ? spec.connections : Math.min(spec.connections, spec.amount),
    duration: spec.seconds,
    ...(spec.amount === undefined ? {} : { amount: spec.amount }),
    method: spec.method,
    headers: spec.headers,
    timeout: spec.timeoutS ?? 30,
    requests: [
      {
        method: spec.method,
        setupRequest: (request) => {
          const { path, body } = spec.next();
          return { ...request, path, ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    all.push(responseTime);
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  const ok = latencies.length;
  return {
    connections: spec.connections,
    seconds: result.duration,
    requests: ok,
    rps: ok / result.duration,
    latencyMs: {
      mean: latencies.reduce((s, v) => s + v, 0) / Math.max(1, ok),
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    },
    allLatencyMs: { p50: percentile(all, 50), p99: percentile(all, 99), max: all.at(-1) ?? NaN },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

/** One request outside the load, for setup and for capturing sample bodies. */
export async function request<T = unknown>(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}
