/** A Server-Sent Events client for tests: opens a stream with fetch and collects its events as they arrive. */

export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  /** Every line received so far (comments and `retry:` included). */
  text(): string;
  events: SseEvent[];
  /** Resolves with the first event received that `match` accepts; rejects after `timeoutMs`. */
  next(match: (e: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent>;
  /** Resolves when the stream has ended (the server closed it, or close()). */
  ended: Promise<void>;
  close(): Promise<void>;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  let text = '';
  const events: SseEvent[] = [];
  const waiting = new Set<() => void>();
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let pending = '';
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) return;
        const part = decoder.decode(chunk, { stream: true });
        text += part;
        pending += part;
        let end = pending.indexOf('\n\n');
        while (end >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const fields = new Map(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
          if (fields.has('data'))
            events.push({ id: fields.get('id') ?? null, event: fields.get('event') ?? 'message', data: fields.get('data') ?? '' });
          end = pending.indexOf('\n\n');
        }
        for (const wake of waiting) wake();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text: () => text,
    events,
    ended: reading,
    next: (match, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`No matching event within ${timeoutMs} ms; received:\n${text}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      }),
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}
