import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // Starting servers and PostgreSQL schemas can be slow on a loaded 2-core machine.
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
