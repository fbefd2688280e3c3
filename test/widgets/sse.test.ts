/** The widgets read Server-Sent Events with fetch(): their parser, and their reading of widget tokens. */
import { describe, expect, it } from 'vitest';
import { type SseMessage, SseParser } from '../../web/widgets/src/sse.js';
import { decodeToken } from '../../web/widgets/src/token.js';

describe('SseParser', () => {
  const parse = (chunks: string[]) => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((m) => messages.push(m));
    for (const chunk of chunks) parser.push(chunk);
    return { messages, parser };
  };

  it('reads messages split anywhere, with ids, event names, comments and the retry delay', () => {
    const stream =
      'retry: 1000\n\n: ping\n\nid: a1\nevent: celebration\ndata: {"id":"a1"}\n\nid: a2\r\nevent: celebration\r\ndata: {"id":\r\ndata: "a2"}\r\n\r\n';
    for (const size of [1, 3, 7, stream.length]) {
      const chunks = stream.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      const { messages, parser } = parse(chunks);
      expect(messages).toEqual([
        { id: 'a1', event: 'celebration', data: '{"id":"a1"}' },
        { id: 'a2', event: 'celebration', data: '{"id":\n"a2"}' },
      ]);
      expect(parser.retry).toBe(1000);
      expect(parser.lastEventId).toBe('a2');
    }
  });

  it('holds back a message until its blank line arrives', () => {
    const { messages } = parse(['data: half']);
    expect(messages).toEqual([]);
  });
});

describe('decodeToken', () => {
  const token = (payload: unknown) => `lw1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.signature`;

  it('reads the member and the expiry of a widget token', () => {
    expect(decodeToken(token({ v: 1, o: 'org', c: 'default', u: 'zoë-ü', exp: 1_900_000_000 }))).toEqual({
      v: 1,
      o: 'org',
      c: 'default',
      u: 'zoë-ü',
      exp: 1_900_000_000,
    });
  });

  it('reads nothing from an API key or a malformed token', () => {
    for (const value of [undefined, '', 'lk_live_abcdef', 'lw1.%%%.sig', 'lw1.e30.sig', `lw2.${token({ u: 'a' }).split('.')[1]}.sig`]) {
      expect(decodeToken(value)).toBeNull();
    }
  });
});
