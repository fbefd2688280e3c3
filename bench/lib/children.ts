/**
 * Child processes of the benchmark: engine workers (bench/worker.ts), the real Laurel server
 * (dist/src/cli/laurel.js serve), the constant-JSON Fastify server, the two-row route and the
 * webhook receiver, each sampled for memory through /proc/<pid>/status.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/** User and system CPU time a process has used so far, in seconds; null once it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th,
    // in clock ticks of USER_HZ, 100 on Linux.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
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

function start(args: string[], env: Record<string, string>, ipc = false): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? (['ipc'] as const) : [])],
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

/** Runs a TypeScript file of the benchmark to the end and returns what it reported (`BENCH_RESULT {json}`), with its peak RSS. */
export async function runScript<T>(file: string, ...args: string[]): Promise<T & { peakRssBytes: number }>;
export async function runScript<T>(file: string, args: unknown): Promise<T & { peakRssBytes: number }>;
export async function runScript<T>(file: string, ...args: unknown[]): Promise<T & { peakRssBytes: number }> {
  const argv = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
  const child = start(['--import', 'tsx', path.join(ROOT, file), ...argv], {});
  const code = await child.exited;
  const line = child
    .output()
    .split('\n')
    .find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`${file} ${argv[0] ?? ''} failed (exit ${code}):\n${child.output().slice(-4000)}`);
  const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as T & { peakRssBytes: number };
  return { ...result, peakRssBytes: Math.max(result.peakRssBytes ?? 0, child.peakRss()) };
}

/** Runs a task of bench/worker.ts to the end and returns what it reported, with its peak RSS. */
export function runWorker<T>(task: string, args: unknown): Promise<T & { peakRssBytes: number }> {
  return runScript<T>('bench/worker.ts', task, JSON.stringify(args));
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

export interface LaurelServer extends Server {
  /** When started with profiling: starts the CPU profiler. */
  startCpuProfile(): Promise<void>;
  /** Stops the CPU profiler and writes what it sampled to `file`. */
  stopCpuProfile(file: string): Promise<void>;
}

/**
 * The real server, compiled: `node dist/src/cli/laurel.js serve` on a free port. With `profiling`,
 * bench/lib/cpu-profiler.ts is preloaded so that a CPU profile can cover just one load run.
 */
export async function startLaurelServer(env: Record<string, string>, profiling = false): Promise<LaurelServer> {
  const preload = profiling ? ['--import', 'tsx', '--import', pathToFileURL(path.join(ROOT, 'bench/lib/cpu-profiler.ts')).href] : [];
  const child = start(
    [...preload, path.join(ROOT, 'dist/src/cli/laurel.js'), 'serve'],
    {
      LAUREL_PORT: '0',
      LAUREL_HOST: '127.0.0.1',
      LAUREL_LOG_LEVEL: 'warn',
      LAUREL_MASTER_KEY: MASTER_KEY,
      ...(profiling ? { LAUREL_BENCH_CPU_PROFILE: '1' } : {}),
      ...env,
    },
    profiling,
  );
  const url = await listening(child, 'Laurel');
  const command = async (message: string, line: string) => {
    if (!profiling) throw new Error('This server was started without profiling');
    const seen = child.output().split(line).length - 1;
    child.child.send(message);
    const deadline = Date.now() + 60_000;
    while (child.output().split(line).length - 1 === seen) {
      if (Date.now() > deadline) throw new Error(`The server did not say "${line}":\n${child.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    ...child,
    url,
    startCpuProfile: () => command('cpu-profile:start', 'cpu profile started'),
    stopCpuProfile: (file) => command(`cpu-profile:stop:${file}`, 'cpu profile written'),
  };
}

/** A Fastify server answering constant JSON bodies (bench/constant-server.ts), the HTTP limit. */
export async function startConstantServer(bodiesFile: string): Promise<Server> {
  const child = start(['--import', 'tsx', path.join(ROOT, 'bench/constant-server.ts'), bodiesFile], {});
  return { ...child, url: await listening(child, 'The constant-JSON server') };
}

/** The two-row route (bench/two-row-server.ts) on the run's database, the limit of single events over HTTP. */
export async function startTwoRowServer(
  db: { dialect: string; dataDir: string; url: string | undefined },
  bodiesFile: string,
): Promise<Server> {
  const child = start(['--import', 'tsx', path.join(ROOT, 'bench/two-row-server.ts'), JSON.stringify(db), bodiesFile], {});
  return { ...child, url: await listening(child, 'The two-row route') };
}

/** The webhook receiver of the notification scenarios (bench/webhook-receiver.ts): 200 at once. */
export async function startWebhookReceiver(): Promise<Server> {
  const child = start(['--import', 'tsx', path.join(ROOT, 'bench/webhook-receiver.ts')], {});
  return { ...child, url: await listening(child, 'The webhook receiver') };
}
