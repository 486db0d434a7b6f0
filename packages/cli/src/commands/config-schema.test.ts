import { describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

type Schema = { properties?: Record<string, Schema>; additionalProperties?: Schema; type?: unknown }

describe('openclaw config schema', () => {
  it('should print the core schema with each first-party plugin\'s part at its config key', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'config', 'schema'], io)).toBe(0)
    const schema = JSON.parse(stdout()) as Schema
    expect(schema.properties?.agents).toBeDefined()
    // core:http owns `gateway`
    expect(schema.properties?.gateway?.properties?.port).toMatchObject({ type: 'integer' })
    // the core owns `models.providers.<id>`, OpenClaw's provider entry, whatever the id
    const entry = schema.properties?.models?.properties?.providers?.additionalProperties
    for (const key of ['api', 'baseUrl', 'apiKey', 'models']) expect(entry?.properties?.[key]).toBeDefined()
  })
})
