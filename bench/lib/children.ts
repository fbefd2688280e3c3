/**
 * Child processes of the benchmark: engine workers (bench/worker.ts), the real Laurel server
 * (dist/src/cli/laurel.js serve) and the constant-JSON Fastify server, each sampled for memory
 * through /proc/<pid>/status.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './options.js';

export const MASTER_KEY = 'laurel-bench-master-key-0123456789';

/** VmRSS and VmHWM (peak) of a process, in bytes; null once it is gone. */
export function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

export interface Child {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** The highest resident set size seen so far (VmHWM, or the highest sample). */
  peakRss(): number;
  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const pid = child.pid as number;
  let peak = 0;
  const sample = () => {
    const m = memoryOf(pid);
    if (m) peak = Math.max(peak, m.peak || 0, m.rss || 0);
  };
  const timer = setInterval(sample, 200);
  timer.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve(code ?? (signal ? 128 : null));
    });
  });
  return {
    child,
    pid,
    output: () => output,
    peakRss: () => {
      sample();
      return peak;
    },
    stop: async () => {
      sample();
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
    exited,
  };
}

const profileFlags = (dir: string | undefined, name: string) =>
  dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];

/** Runs a task of bench/worker.ts to the end and returns what it reported, with its peak RSS. */
export async function runWorker<T>(
  task: string,
  args: unknown,
  options: { env?: Record<string, string>; cpuProfileDir?: string; profileName?: string } = {},
): Promise<T & { peakRssBytes: number }> {
  const child = start(
    [...profileFlags(options.cpuProfileDir, options.profileName ?? task), '--import', 'tsx', path.join(ROOT, 'bench/worker.ts'), task, JSON.stringify(args)],
    options.env ?? {},
  );
  const code = await child.exited;
  const line = child
    .output()
    .split('\n')
    .find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`Worker "${task}" failed (exit ${code}):\n${child.output().slice(-4000)}`);
  const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as T & { peakRssBytes: number };
  return { ...result, peakRssBytes: Math.max(result.peakRssBytes ?? 0, child.peakRss()) };
}

async function listening(child: Child, what: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s:\n${child.output()}`)), 60_000);
    void child.exited.then((code) => reject(new Error(`${what} exited with ${code}:\n${child.output()}`)));
    const check = () => {
      const match = child.output().match(/listening on (http:\/\/[^\s]+)/);
      if (match) {
        clearTimeout(timer);
        child.child.stdout?.off('data', check);
        resolve(match[1] as string);
      }
    };
    child.child.stdout?.on('data', check);
    check();
  });
}

export interface Server extends Child {
  url: string;
}

/** The real server, compiled: `node dist/src/cli/laurel.js serve` on a free port. */
export async function startLaurelServer(env: Record<string, string>, cpuProfileDir?: string, profileName = 'server'): Promise<Server> {
  const child = start([...profileFlags(cpuProfileDir, profileName), path.join(ROOT, 'dist/src/cli/laurel.js'), 'serve'], {
    LAUREL_PORT: '0',
    LAUREL_HOST: '127.0.0.1',
    LAUREL_LOG_LEVEL: 'warn',
    LAUREL_MASTER_KEY: MASTER_KEY,
    ...env,
  });
  return { ...child, url: await listening(child, 'Laurel') };
}

/** A Fastify server answering constant JSON bodies (bench/constant-server.ts), the HTTP limit. */
export async function startConstantServer(bodiesFile: string): Promise<Server> {
  const child = start(['--import', 'tsx', path.join(ROOT, 'bench/constant-server.ts'), bodiesFile], {});
  return { ...child, url: await listening(child, 'The constant-JSON server') };
}
