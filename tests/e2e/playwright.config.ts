import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_PATH, CHROMIUM_SWITCHES } from '../chromium.ts';

const port = process.env.E2E_PORT ?? '3917';
const baseURL = `http://127.0.0.1:${port}`;
// The server's DATA_DIR: emails are written to its outbox/ folder, where the journeys read them.
const dataDir = (process.env.E2E_DATA_DIR ??= join(tmpdir(), `opsi-e2e-${port}`));

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: ['--headless', ...CHROMIUM_SWITCHES],
    },
  },
  webServer: {
    command: 'node tests/e2e/server.ts',
    cwd: '../..',
    url: `${baseURL}/api/ready`,
    env: { E2E_PORT: port, E2E_DATA_DIR: dataDir },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
