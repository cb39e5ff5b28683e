/**
 * e2e projects:
 * - `browser`: the server host (`src/server/main.ts`, fixed port and token, the e2e user-models folder)
 *   driven by Debian's Chromium. Runs everywhere.
 * - `electron`: the desktop app via `_electron.launch`; skips with the reason when the binary is absent.
 * One worker: the studio, the engine host and Chromium already share 2 cores with training.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { CHROMIUM, CHROMIUM_ARGS, E2E_PORT, E2E_TOKEN, E2E_URL, E2E_USER_MODELS, E2E_ORIGIN } from './e2e/env'

const CI = !!process.env.CI

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  // Generations of 64 images on a busy CPU take seconds; a stuck UI still fails well inside this.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  // scripts/test.sh passes `--reporter=line,json` to count results; this is for people running it by hand.
  reporter: CI ? 'line' : 'list',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    acceptDownloads: true,
  },
  projects: [
    {
      name: 'browser',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        baseURL: E2E_URL,
        viewport: { width: 1280, height: 800 },
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
      },
    },
    {
      name: 'electron',
      testMatch: /electron\.spec\.ts$/,
    },
  ],
  webServer: {
    // Build the renderer the server serves from out/web, then serve it with the fixture models beside the shipped ones.
    command: `npm run build:web && npx tsx src/server/main.ts --port ${E2E_PORT} --models ${JSON.stringify(E2E_USER_MODELS)}`,
    url: `${E2E_ORIGIN}/`,
    // An empty user folder: a developer's ~/.latent-studio/models must not leak into the e2e model list
    // (the fixtures come in through --models; naming them here too would list them twice).
    // Its own history folder too: e2e jobs must not land in a developer's ~/.latent-studio/history.
    env: {
      LATENT_STUDIO_TOKEN: E2E_TOKEN,
      LATENT_STUDIO_MODELS: join(tmpdir(), 'latent-studio-e2e-no-user-models'),
      LATENT_STUDIO_HISTORY: join(tmpdir(), `latent-studio-e2e-history-${E2E_PORT}`),
    },
    reuseExistingServer: !CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 3_000 },
  },
})
