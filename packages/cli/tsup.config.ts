import { defineConfig } from 'tsup'

export default defineConfig({
  // tools-memory, bundled in, starts a worker thread and a child process from files beside its own
  // module (`new URL('./indexer-worker.js', import.meta.url)`): here, beside the bundle.
  entry: {
    index: 'src/index.ts',
    bin: 'src/bin.ts',
    'indexer-worker': '../../plugins/tools-memory/src/indexer-worker.ts',
    'ann-build-process': '../../plugins/tools-memory/src/ann-build-process.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  // `openclaw gateway` should be ready fast: loading hundreds of small module files (fastify, zod, ws,
  // the plugins) is most of start-up on Node 20, so the binary bundles its pure-JS dependencies.
  // better-sqlite3 and usearch (tools-memory's vector index) are native: bundled, their `bindings`
  // loader reads `__filename`, which an ES module lacks, and `openclaw gateway` failed at start.
  // json-schema-to-typescript is loaded only by `skills types`.
  noExternal: [/^@openclaw\//, 'zod', 'commander', 'ws', 'fastify', /^@fastify\//, 'semver', 'json5', 'tapable', 'tsyringe', 'reflect-metadata'],
  // grammY (the Telegram channel) is left out too: bundled, every Bot API call of the built binary
  // failed with "network error" (scripts/smoke-built-gateway.mjs caught it; the tests run from source).
  // The proxy agents it hands grammY's node-fetch (`channels.telegram.proxy`) stay beside it, as
  // CommonJS packages loaded by Node (the smoke test answers its DM through a proxy).
  external: ['better-sqlite3', 'usearch', 'json-schema-to-typescript', 'pino', 'bufferutil', 'utf-8-validate', 'grammy', '@grammyjs/auto-retry', 'http-proxy-agent', 'https-proxy-agent', 'socks-proxy-agent'],
  // The workspace packages from their TypeScript sources (the `source` export condition), not their
  // built files: the core's build carries its own bundled zod, and the plugins' builds import zod, so
  // bundling the built files put two copies of zod in the binary (~20k lines each, parsed at every start).
  esbuildOptions(options) {
    options.conditions = ['source']
  },
  banner: { js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);" },
})
