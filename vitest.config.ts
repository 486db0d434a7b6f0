import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'plugins/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'e2e/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // expect.poll waits for what happens in the background (a tick, a delivery, a NOTIFY). Its default,
    // 1 s, is short on a loaded 2-core CI machine; a poll still passes as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // A real PostgreSQL for the tests that need one: OPENCLAW_TEST_PG_URL, or an embedded server.
    globalSetup: ['scripts/test-postgres.ts'],
  },
})
