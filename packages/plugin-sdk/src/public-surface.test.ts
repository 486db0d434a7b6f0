import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as sdk from './index.js'
import * as testing from './testing/index.js'

function exportedNames(file: string): string[] {
  const source = readFileSync(new URL(file, import.meta.url), 'utf8')
  const names: string[] = []
  for (const block of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const part of block[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim()
      if (name) names.push(name)
    }
  }
  return names
}

const docs = readFileSync(new URL('../../../docs/plugin-api.md', import.meta.url), 'utf8')
const documented = new Set([...docs.matchAll(/^- `([A-Za-z_]+)`/gm)].map((m) => m[1]))

describe('@openclaw/plugin-sdk public surface', () => {
  const main = exportedNames('./index.ts')
  const kit = exportedNames('./testing/index.ts')
  const config = exportedNames('./config/index.ts')
  const channels = exportedNames('./channels/index.ts')
  const net = exportedNames('./net/index.ts')
  const files = exportedNames('./files/index.ts')

  it('stays small: well under 80 exports', () => {
    // 74 since Plugin API 2 (CoreErrors, PluginFactory); 76 with wire API adapters (defineModelApi, ModelApi);
    // 77 with CodedErrorConstructor (so plugins' .d.ts name only the SDK); 78 with SqlTransaction (async store); 79 with Clock (the scheduler's timers).
    expect(main.length).toBeLessThanOrEqual(79)
    expect(new Set(main).size).toBe(main.length)
  })

  it('is listed in docs/plugin-api.md, name by name, and the docs list nothing else', () => {
    expect([...main, ...kit, ...config, ...channels, ...net, ...files].filter((n) => !documented.has(n))).toEqual([])
    expect([...documented].filter((n) => ![main, kit, config, channels, net, files].some((names) => names.includes(n!)))).toEqual([])
  })

  it('exports the runtime values it lists', () => {
    for (const name of ['definePlugin', 'defineTool', 'defineChannel', 'defineSkill', 'defineProvider', 'createToken', 'createError', 'Tokens', 'STAGE_GUARD']) {
      expect(sdk).toHaveProperty(name)
    }
    for (const name of ['createTestGateway', 'InMemoryChannel', 'createFakeClock', 'createScriptedModelServer']) expect(testing).toHaveProperty(name)
  })

  it('blocks deep imports through the exports map', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> }
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './channels', './config', './files', './internal/*', './net', './package.json', './testing'])
    expect(pkg.exports['./internal/*']).toBeNull()
  })
})
