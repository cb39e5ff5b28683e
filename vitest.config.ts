import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['src/**/*.test.ts'],
    // Real ORT sessions in child processes: keep parallelism to the 2 cores we have.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
})
