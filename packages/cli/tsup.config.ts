import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  // `openclaw gateway` should be ready fast: loading hundreds of small module files (fastify, zod, ws,
  // the plugins) is most of start-up on Node 20, so the binary bundles its pure-JS dependencies.
  // better-sqlite3 is native and json-schema-to-typescript is loaded only by `skills types`.
  noExternal: [/^@openclaw\//, 'zod', 'commander', 'ws', 'fastify', /^@fastify\//, 'semver', 'json5', 'tapable', 'tsyringe', 'reflect-metadata'],
  external: ['better-sqlite3', 'json-schema-to-typescript', 'bufferutil', 'utf-8-validate'],
  banner: { js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);" },
})
