import { defineConfig } from 'tsup'

// One ESM entry with type declarations; `openclaw-plugin-manifest` then writes openclaw.plugin.json
// from dist/index.js, so the gateway can list and check the plugin without running it.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
})
