import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The policy engine is bundled from its sources: the browser validates with the server's own code.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  resolve: { alias: { '@castellan/policy': fileURLToPath(new URL('../policy/src/index.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP has no 'unsafe-inline': keep every script and style in files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
