/** The worker thread that rebuilds SVGs (see svg-rebuilder.ts): one sanitiser, one request at a time. */
import { parentPort } from 'node:worker_threads';
import { LaurelError } from '../domain/errors.js';
import { SvgSanitizer } from './svg-sanitizer.js';

export interface RebuildRequest {
  id: number;
  text: string;
}

export type RebuildAnswer =
  | { id: number; svg: string }
  | { id: number; refused: { kind: LaurelError['kind']; code: string; message: string; field?: string } }
  | { id: number; failed: string };

const sanitizer = new SvgSanitizer();
const port = parentPort;
if (!port) throw new Error('svg-rebuild-worker runs as a worker thread');

port.on('message', ({ id, text }: RebuildRequest) => {
  let answer: RebuildAnswer;
  try {
    answer = { id, svg: sanitizer.sanitize(text) };
  } catch (error) {
    answer =
      error instanceof LaurelError
        ? { id, refused: { kind: error.kind, code: error.code, message: error.message, field: error.field } }
        : { id, failed: (error as Error).stack ?? String(error) };
  }
  port.postMessage(answer);
});
