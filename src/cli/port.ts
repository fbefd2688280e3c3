/** Whether `laurel serve` can listen where it was told to, checked before it touches the data directory. */
import net from 'node:net';

/** Binds the port and lets it go again; fails with a message saying what to change if it cannot. */
export async function ensurePortAvailable(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port, host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenError(error, port, host);
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** A failure to listen, told in terms of the settings that choose where Laurel listens. */
export function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} on ${host} is already in use (another Laurel?); choose another with --port <port> or LAUREL_PORT`);
  }
  if (code === 'EACCES') {
    return new Error(
      `not allowed to listen on port ${port} (ports below 1024 need privileges); choose another with --port <port> or LAUREL_PORT`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new Error(`cannot listen on ${host}: no such interface on this machine; choose another with --host <host> or LAUREL_HOST`);
  }
  return error;
}
