/**
 * Server-Sent Events read with fetch(), since EventSource cannot send an Authorization header: the
 * stream's lines are parsed here, as the HTML standard describes.
 */

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

/** Feeds text as it arrives; calls back once per complete message. */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  /** The last id seen (kept across messages, as EventSource does). */
  lastEventId = '';
  /** The reconnection delay the server asked for, in ms. */
  retry: number | null = null;

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  push(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.search(/\r\n|\r|\n/);
    while (end >= 0) {
      const line = this.#buffer.slice(0, end);
      const newline = this.#buffer.startsWith('\r\n', end) ? 2 : 1;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (this.#buffer[end] === '\r' && newline === 1 && end === this.#buffer.length - 1) break;
      this.#buffer = this.#buffer.slice(end + newline);
      this.#line(line);
      end = this.#buffer.search(/\r\n|\r|\n/);
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data.length > 0) this.onMessage({ id: this.lastEventId, event: this.#event || 'message', data: this.#data.join('\n') });
      this.#data = [];
      this.#event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }
}

/** Reads a response body to its end, feeding the parser; resolves when the server closes it. */
export async function readStream(body: ReadableStream<Uint8Array>, parser: SseParser, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}
