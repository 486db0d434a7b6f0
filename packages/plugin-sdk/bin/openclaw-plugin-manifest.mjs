#!/usr/bin/env node
// Writes openclaw.plugin.json for the plugin package in the current folder, from its built code.
// Usage (in a plugin's package.json): "build": "tsup && openclaw-plugin-manifest [dist/index.js]"
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createManifest, MANIFEST_FILE } from '@openclaw/core'

const entry = process.argv[2] ?? 'dist/index.js'
const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const mod = await import(pathToFileURL(resolve(entry)).href)
const exported = typeof mod.default === 'function' ? mod.default() : mod.default
if (!exported || typeof exported.id !== 'string' || typeof exported.register !== 'function') {
  console.error(`openclaw-plugin-manifest: ${entry} has no default export made with definePlugin()`)
  process.exit(1)
}
const manifest = createManifest(exported, { entry: `./${entry.replace(/^\.\//, '')}`, name: pkg.name, description: pkg.description })
writeFileSync(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`openclaw-plugin-manifest: wrote ${MANIFEST_FILE} for ${manifest.id}@${manifest.version}`)
