/**
 * Desktop build (`npx electron-vite build`): three bundles into out/.
 *   main:     src/main/index.ts → out/main/index.js, src/engine/host-main.ts → out/main/engine-host.js
 *             (ESM; onnxruntime-node stays external: a native addon is loaded from node_modules)
 *   preload:  src/preload/index.ts → out/preload/index.cjs (CommonJS, everything bundled: a sandboxed
 *             preload can require nothing but `electron`)
 *   renderer: src/renderer → out/renderer (the same Svelte app the server hosts from out/web)
 * Works without the Electron binary; only `dev`/`preview` need it.
 */
import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  main: {
    build: {
      outDir: r('./out/main'),
      target: 'node22', // Electron 45 ships Node 22
      externalizeDeps: true,
      rollupOptions: {
        input: { index: r('./src/main/index.ts'), 'engine-host': r('./src/engine/host-main.ts') },
        external: ['onnxruntime-node'],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: r('./out/preload'),
      // Bundle our own code and any package; `electron` is provided by the sandbox.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: r('./src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: r('./src/renderer'),
    plugins: [svelte()],
    build: {
      outDir: r('./out/renderer'),
      target: 'es2023',
      rollupOptions: { input: r('./src/renderer/index.html') },
    },
  },
})
