import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  clean: true,
  sourcemap: true,
  // Start-up time is dominated by resolving and loading many small module files (zod alone is ~80);
  // bundling the pure-JS dependencies into one file cuts the core's load time from ~250 ms to ~95 ms
  // (bench/startup). Plugins' own zod schemas work with the bundled copy (only `_zod` and `safeParse`
  // are used across the boundary). better-sqlite3 is native; pino and json-schema-to-typescript are
  // loaded only when first used, so they stay external.
  noExternal: ['zod', 'semver', 'json5', 'tapable', 'tsyringe', 'reflect-metadata', 'kysely'],
  // Bundled CommonJS code calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __ocCreateRequire } from 'node:module'; const require = __ocCreateRequire(import.meta.url);" },
})
