import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createManifest, readManifest } from './plugin-manifest.js'

describe('plugin manifests', () => {
  const definition = {
    id: 'channel:demo',
    version: '2.1.0',
    kind: 'channel' as const,
    dependsOn: ['core:http'],
    configKey: 'channels.demo',
    env: ['DEMO_TOKEN'],
    config: z.object({ token: z.string().min(1), path: z.string().default('/demo') }),
    register() {},
  }

  it('is generated from the plugin code, with its config as JSON Schema', () => {
    const manifest = createManifest(definition, { entry: './dist/index.js', name: '@acme/demo' })
    expect(manifest).toMatchObject({ id: 'channel:demo', name: '@acme/demo', version: '2.1.0', kind: 'channel', apiVersion: '^2.0.0', dependsOn: ['core:http'], configKey: 'channels.demo', env: ['DEMO_TOKEN'], entry: './dist/index.js' })
    expect(manifest.configSchema).toMatchObject({ type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1 }, path: { default: '/demo' } } })
    expect(manifest.configSchema).not.toHaveProperty('$schema')
  })

  it('round-trips through readManifest, which refuses an entry outside the folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oc-manifest-'))
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'index.js'), 'export default {}')
    writeFileSync(join(dir, 'openclaw.plugin.json'), JSON.stringify(createManifest(definition, { entry: './dist/index.js' })))
    expect(readManifest(dir)).toMatchObject({ id: 'channel:demo', entryPath: join(dir, 'dist', 'index.js') })
    writeFileSync(join(dir, 'openclaw.plugin.json'), JSON.stringify(createManifest(definition, { entry: '../escape.js' })))
    expect(() => readManifest(dir)).toThrowError(/points outside the plugin folder/)
  })
})
