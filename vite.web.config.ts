/**
 * Builds the renderer as a plain web app into out/web, which the headless server host serves
 * (`npm run build:web`). The Electron build of the same renderer lives in electron.vite.config.ts.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  // Resolved from this file, not the cwd, so the build works from any directory.
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  // Relative asset URLs: the page works wherever the server mounts it.
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../../out/web',
    emptyOutDir: true,
    target: 'es2023',
  },
  server: { host: '127.0.0.1' },
})
