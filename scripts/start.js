// @ts-check
/**
 * `npm start`: rebuilds whatever changed since the last build (saying so), then runs `laurel serve`
 * in this same process. npm's script line `exec`s this file, so npm's only child is the server and the
 * SIGTERM or SIGINT that npm passes on reaches it (a shell in between would not pass it on).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfChanged, ROOT } from './build.js';

try {
  await buildIfChanged();
} catch (error) {
  process.stderr.write(`Build failed, not starting: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const cli = path.join(ROOT, 'dist', 'src', 'cli', 'laurel.js');
process.argv = [process.argv[0] ?? process.execPath, cli, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
