import { defineConfig } from 'tsup'

/** The build every plugin package shares: one ESM entry with type declarations. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
})
