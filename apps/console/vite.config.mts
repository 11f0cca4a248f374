import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is built once, at `npm run build`, into the api app's dist, which serves it under /console.
// Everything it loads is in that folder: no CDN, no font or script from elsewhere.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/api/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline script or data: URL in the output, so the page keeps to its strict Content-Security-Policy.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  logLevel: 'warn',
});
