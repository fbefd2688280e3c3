import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// Built into dist/web/dashboard and served by Laurel at /dashboard.
export default defineConfig({
  root: here,
  base: '/dashboard/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/dashboard', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/admin': 'http://127.0.0.1:8080', '/v1': 'http://127.0.0.1:8080', '/badges': 'http://127.0.0.1:8080' } },
});
