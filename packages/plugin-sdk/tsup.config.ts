import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'config/index': 'src/config/index.ts', 'channels/index': 'src/channels/index.ts', 'net/index': 'src/net/index.ts', 'files/index': 'src/files/index.ts' },
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
})
