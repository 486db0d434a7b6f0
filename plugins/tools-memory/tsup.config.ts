import { defineConfig } from 'tsup'
import base from '../../tsup.plugin.config.js'

// Three entries: the plugin, the indexer worker thread and the ANN build process (loaded by URL at run time).
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/indexer-worker.ts', 'src/ann-build-process.ts'] })
