import { defineConfig } from 'tsup'
import base from '../../tsup.plugin.config.js'

// Two entries: the plugin, and the indexer that runs in a worker thread (loaded by URL at run time).
export default defineConfig({ ...base, entry: ['src/index.ts', 'src/indexer-worker.ts'] })
