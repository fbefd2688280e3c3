#!/usr/bin/env node
import closeWithGrace from 'close-with-grace';
/** `laurel serve | migrate | keys create`: the command line. */
import { Command, Option } from 'commander';
import { createLaurel } from '../app.js';
import { loadSettings, type SettingsOverrides } from '../config.js';
import { createApiKey } from '../engine/api-keys.js';
import { bootstrap, DEFAULT_TENANT } from '../engine/bootstrap.js';
import { systemClock } from '../engine/clock.js';
import { pruneHistory } from '../engine/prune-history.js';
import { laurelVersion } from '../project-root.js';
import { migrateToLatest, openDatabase } from '../store/database.js';
import { Store } from '../store/store.js';
import { ensurePortAvailable, listenError } from './port.js';

const program = new Command('laurel').description('Laurel: a self-hostable achievements engine').version(laurelVersion());

const common = (command: Command) =>
  command
    .addOption(new Option('--data-dir <dir>', 'where the SQLite database and the master key file live (LAUREL_DATA_DIR)'))
    .addOption(new Option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite (DATABASE_URL)'));

interface CommonFlags {
  dataDir?: string;
  databaseUrl?: string;
}

function settingsFrom(flags: CommonFlags & SettingsOverrides) {
  return loadSettings(process.env, {
    dataDir: flags.dataDir,
    databaseUrl: flags.databaseUrl,
    port: flags.port === undefined ? undefined : Number(flags.port),
    host: flags.host,
    logLevel: flags.logLevel,
  });
}

common(program.command('serve'))
  .description('start the API, dashboard and widgets (the default for npm start)')
  .addOption(new Option('--port <port>', 'port to listen on (LAUREL_PORT, default 8080)'))
  .addOption(new Option('--host <host>', 'interface to listen on (LAUREL_HOST, default 127.0.0.1)'))
  .addOption(new Option('--log-level <level>', 'fatal, error, warn, info, debug or trace (LAUREL_LOG_LEVEL)'))
  .action(async (flags: CommonFlags & SettingsOverrides) => {
    const settings = settingsFrom(flags);
    // A port already taken must not leave a fresh data directory and admin key behind.
    await ensurePortAvailable(settings.port, settings.host);
    const laurel = await createLaurel(settings);
    closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
      if (err) laurel.ctx.log.error({ err }, 'Shutting down after an error');
      else laurel.ctx.log.info({ signal }, 'Shutting down: finishing requests in flight');
      await laurel.close();
    });
    const address = await laurel.app.listen({ port: settings.port, host: settings.host }).catch(async (error: unknown) => {
      await laurel.close();
      throw listenError(error, settings.port, settings.host);
    });
    const lines = [
      `Laurel is listening on ${address} (${laurel.ctx.store.database.location})`,
      `  Dashboard: ${address}/dashboard`,
      `  API docs:  ${address}/docs`,
    ];
    const keyFile = laurel.bootstrap.generatedKeyFile;
    if (keyFile) {
      lines.push(`  First start: an admin key was generated and written to ${keyFile}`, `  Read it with: cat ${keyFile}`);
    } else if (settings.masterKey) {
      lines.push('  Admin key: the value of LAUREL_MASTER_KEY');
    } else if (laurel.bootstrap.existingKeyFile) {
      lines.push(`  Admin key: in ${laurel.bootstrap.existingKeyFile}`);
    }
    // One write, so whoever reads the banner gets all of it at once.
    process.stdout.write(`${lines.join('\n')}\n`);
  });

common(program.command('migrate'))
  .description('bring the database schema to the latest version, then exit')
  .action(async (flags: CommonFlags) => {
    const settings = settingsFrom(flags);
    const database = openDatabase({ url: settings.databaseUrl, dataDir: settings.dataDir, schema: settings.databaseSchema });
    try {
      const applied = await migrateToLatest(database);
      process.stdout.write(applied.length > 0 ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date\n');
    } finally {
      await database.close();
    }
  });

common(program.command('prune-events'))
  .description('delete raw events (and idempotency keys, finished jobs) older than N days; totals, streaks and awards stay')
  .requiredOption('--older-than <days>', 'keep this many days of events')
  .action(async (flags: CommonFlags & { olderThan: string }) => {
    const settings = settingsFrom(flags);
    const laurel = await createLaurel({ ...settings, logLevel: 'warn' }, { startJobs: false });
    try {
      const result = await pruneHistory(laurel.ctx, Number(flags.olderThan));
      process.stdout.write(
        `Deleted ${result.events} events, ${result.idempotencyKeys} idempotency keys and ${result.jobs} finished jobs from before ${result.before}\n`,
      );
    } finally {
      await laurel.close();
    }
  });

const keys = program.command('keys').description('manage API keys');
common(keys.command('create'))
  .description('create an API key for the default community and print it (shown once)')
  .requiredOption('--name <name>', 'what the key is for')
  .option('--admin', 'an admin key instead of an application key')
  .action(async (flags: CommonFlags & { name: string; admin?: boolean }) => {
    const settings = settingsFrom(flags);
    const database = openDatabase({ url: settings.databaseUrl, dataDir: settings.dataDir, schema: settings.databaseSchema });
    try {
      await migrateToLatest(database);
      const store = new Store(database);
      await bootstrap(store, systemClock, { dataDir: settings.dataDir, generateMasterKey: false });
      const created = await createApiKey(
        store.read,
        DEFAULT_TENANT,
        { name: flags.name, kind: flags.admin ? 'admin' : 'application' },
        systemClock.now(),
      );
      process.stdout.write(`${created.key}\n`);
    } finally {
      await database.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`laurel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
