/**
 * CPU profiles of just the measured part of a run: the V8 sampling profiler (what `node --cpu-prof`
 * uses, same interval, same .cpuprofile format) started and stopped through node:inspector, so
 * that start-up, warm-up and the generation of test data stay out of the profile.
 *
 * In a process of the benchmark's own: `const stop = await startCpuProfile(); …; await stop(file)`.
 * In the server, which must run unmodified: preload this module
 * (`node --import tsx --import ./bench/lib/cpu-profiler.ts dist/src/cli/laurel.js serve`) with
 * LAUREL_BENCH_CPU_PROFILE=1 and an IPC channel; the message "cpu-profile:start" starts the
 * profiler ("cpu profile started" on stdout), "cpu-profile:stop:<file>" writes the profile to the
 * file ("cpu profile written").
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

/** --cpu-prof's default sampling interval, in microseconds. */
const INTERVAL_US = 1000;

export async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
  await session.post('Profiler.start');
  return async (file: string) => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

if (process.env.LAUREL_BENCH_CPU_PROFILE === '1' && process.send) {
  // Messages over the IPC channel the harness opened (signals are taken: close-with-grace shuts
  // the server down on SIGUSR2 too). The channel must not keep the process alive.
  process.channel?.unref();
  let stop: ((file: string) => Promise<void>) | null = null;
  process.on('message', (message: unknown) => {
    if (message === 'cpu-profile:start' && !stop) {
      void startCpuProfile().then((s) => {
        stop = s;
        process.stdout.write('cpu profile started\n');
      });
    } else if (typeof message === 'string' && message.startsWith('cpu-profile:stop:') && stop) {
      const s = stop;
      stop = null;
      void s(message.slice('cpu-profile:stop:'.length)).then(() => process.stdout.write('cpu profile written\n'));
    }
  });
}
