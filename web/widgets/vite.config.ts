import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, transformWithEsbuild } from 'vite';

/**
 * Vite leaves whitespace in an ES library (to keep its pure annotations for the consumer's bundler);
 * this module is served as is, so it is minified in full once bundled.
 */
const minifyBundle: Plugin = {
  name: 'laurel-minify-bundle',
  enforce: 'post',
  async generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const result = await transformWithEsbuild(chunk.code, chunk.fileName, {
        minify: true,
        target: 'es2022',
        format: 'esm',
        legalComments: 'none',
      });
      chunk.code = result.code;
    }
  },
};

// One ES module holding every widget and lit itself, built into dist/web/widgets and served by
// Laurel at /widgets/laurel.js (src/api/routes/widget-files.ts).
export default defineConfig({
  logLevel: 'warn',
  plugins: [minifyBundle],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web/widgets', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('./src/laurel.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'laurel.js',
    },
  },
});
