// @ts-check
/**
 * Builds dist/: the server (tsc), the dashboard and the member widgets (Vite). `node scripts/build.js` builds all;
 * `--if-changed` builds only the parts whose sources differ from those of the last build, saying so
 * in one line, and does nothing (in a few milliseconds) when none do.
 *
 * A part's sources are fingerprinted by content (not by modification time, which a checkout or a copy
 * changes without changing anything); the fingerprint taken before a part is built is stored in dist/
 * once it built, so an edit made during a build is still seen by the next check.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Part
 * @property {string} name
 * @property {string[]} inputs files and folders, relative to the project root
 * @property {string} output a file every successful build leaves, relative to the project root
 * @property {() => string[]} command arguments for node
 *
 * @typedef {object} Project
 * @property {string} root
 * @property {Part[]} parts
 */

/** @type {Part[]} */
export const PARTS = [
  {
    name: 'the server',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    output: 'dist/src/cli/laurel.js',
    command: () => [bin('typescript', 'tsc'), '-p', 'tsconfig.build.json'],
  },
  {
    name: 'the dashboard',
    inputs: ['web/dashboard', 'package-lock.json'],
    output: 'dist/web/dashboard/index.html',
    command: () => [bin('vite', 'vite'), 'build', '--config', 'web/dashboard/vite.config.ts'],
  },
  {
    name: 'the widgets',
    inputs: ['web/widgets', 'src/api/schemas', 'package-lock.json'],
    output: 'dist/web/widgets/laurel.js',
    command: () => [bin('vite', 'vite'), 'build', '--config', 'web/widgets/vite.config.ts'],
  },
];

/** @type {Project} */
const LAUREL = { root: ROOT, parts: PARTS };

/**
 * The JavaScript file behind a dependency's command, run with this node (no shell, no .bin links).
 * @param {string} pkg
 * @param {string} name
 */
function bin(pkg, name) {
  const manifest = createRequire(path.join(ROOT, 'package.json')).resolve(`${pkg}/package.json`);
  const bins = JSON.parse(fs.readFileSync(manifest, 'utf8')).bin;
  return path.join(path.dirname(manifest), typeof bins === 'string' ? bins : bins[name]);
}

/**
 * A hash of every file under the given paths: their names relative to `root`, and their contents.
 * @param {string} root
 * @param {string[]} inputs
 */
export function fingerprint(root, inputs) {
  const hash = createHash('sha256');
  /** @param {string} relative */
  const visit = (relative) => {
    const absolute = path.join(root, relative);
    const stat = fs.statSync(absolute, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(absolute).sort()) visit(path.join(relative, entry));
    } else {
      hash.update(`${relative}\0${stat.size}\0`).update(fs.readFileSync(absolute));
    }
  };
  for (const input of inputs) visit(input);
  return hash.digest('hex');
}

/** @param {string} root */
const stampFile = (root) => path.join(root, 'dist', '.build-fingerprints.json');

/**
 * @param {string} root
 * @returns {Record<string, string>}
 */
function readStamp(root) {
  try {
    return JSON.parse(fs.readFileSync(stampFile(root), 'utf8'));
  } catch {
    return {};
  }
}

/** The parts whose sources changed since they were last built (or whose output is missing). */
export function changedParts({ root, parts } = LAUREL) {
  const stamp = readStamp(root);
  return parts.filter((part) => stamp[part.name] !== fingerprint(root, part.inputs) || !fs.existsSync(path.join(root, part.output)));
}

/**
 * Runs node with the given arguments in the given folder; a signal sent to this process is passed on.
 * @param {string} cwd
 * @param {string[]} args
 */
function run(cwd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: 'inherit' });
    /** @param {NodeJS.Signals} signal */
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward).on('SIGINT', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward).off('SIGINT', forward);
      if (code === 0) resolve(undefined);
      else reject(new Error(`${path.basename(args[0] ?? '')} ${signal ? `was stopped by ${signal}` : `failed (exit code ${code})`}`));
    });
  });
}

/** Builds the project's parts, recording for each the fingerprint of the sources it was built from. */
export async function build({ root, parts } = LAUREL) {
  const stampPath = stampFile(root);
  for (const part of parts) {
    const sources = fingerprint(root, part.inputs);
    const { [part.name]: _previous, ...others } = readStamp(root);
    fs.mkdirSync(path.dirname(stampPath), { recursive: true });
    fs.writeFileSync(stampPath, JSON.stringify(others));
    await run(root, part.command());
    fs.writeFileSync(stampPath, JSON.stringify({ ...readStamp(root), [part.name]: sources }));
  }
}

/**
 * Builds what changed, announcing it in one line; nothing is printed when everything is up to date.
 * @returns {Promise<string[]>} the names of the parts it rebuilt
 */
export async function buildIfChanged(project = LAUREL) {
  const parts = changedParts(project);
  if (parts.length === 0) return [];
  const names = parts.map((part) => part.name);
  const what = `${names.join(' and ')} (about ${parts.length > 1 ? 'a minute' : 'half a minute'})`;
  const built = fs.existsSync(stampFile(project.root));
  process.stdout.write(built ? `Sources changed since the last build: rebuilding ${what}\n` : `Building ${what}\n`);
  await build({ root: project.root, parts });
  return names;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const onlyChanged = process.argv.includes('--if-changed');
  (onlyChanged ? buildIfChanged() : build()).catch((error) => {
    process.stderr.write(`Build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
