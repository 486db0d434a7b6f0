import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePlugin, defineTool, Tokens, type PluginDefinition } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
// The HTTP server plugin is not a dependency of this package (plugins never import each other); the
// test reaches its source to serve the route on a real socket.
import httpServer from '@openclaw/plugin-http-server'
import httpTools from './index.js'

const TOKEN = 'tools-test-token-0123456789'

const toolsPlugin = definePlugin({
  id: 'test:tools',
  version: '1.0.0',
  register(api) {
    api.tools.register(defineTool({
      name: 'add',
      description: 'Add two numbers',
      parameters: z.strictObject({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    }))
    api.tools.register(defineTool({
      name: 'echo_args',
      description: 'Return its arguments',
      parameters: z.looseObject({ action: z.string().optional() }),
      execute: (args) => args,
    }))
    api.tools.register(defineTool({
      name: 'nuke',
      description: 'Dangerous',
      parameters: z.object({}),
      dangerous: true,
      execute: () => 'boom',
    }))
    api.tools.register(defineTool({ name: 'exec', description: 'Runs commands', parameters: z.object({}), execute: () => 'ran' }))
    api.tools.register(defineTool({ name: 'secret_read', description: 'Denied by policy', parameters: z.object({}), execute: () => 'secret' }))
    api.tools.register(defineTool({
      name: 'explode',
      description: 'Always fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('kaput')
      },
    }))
  },
})

/** What `/tools/invoke` answers. */
interface Answer {
  ok: boolean
  result?: unknown
  error?: { type: string; message: string }
}

let gateways: TestGateway[] = []

afterEach(async () => {
  await Promise.all(gateways.map((gw) => gw.stop()))
  gateways = []
})

async function start(config: Record<string, unknown> = {}, plugins: PluginDefinition<unknown>[] = []): Promise<string> {
  const { gateway = {}, ...rest } = config
  const gw = await createTestGateway({
    config: { ...rest, gateway: { port: 0, auth: { mode: 'token', token: TOKEN }, ...(gateway as object) } },
    plugins: [httpServer(), httpTools(), toolsPlugin, ...plugins],
  })
  gateways.push(gw)
  return `${gw.services.resolve(Tokens.HttpServer).url}/tools/invoke`
}

async function invoke(url: string, body: unknown, token: string | null = TOKEN): Promise<{ status: number; body: Answer }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Answer }
}

describe('POST /tools/invoke', () => {
  it('should call the tool and answer { ok: true, result } with an OpenClaw tool result: text content, the output as details', async () => {
    const url = await start()
    expect(await invoke(url, { name: 'add', args: { a: 2, b: 3 } })).toEqual({ status: 200, body: { ok: true, result: { content: [{ type: 'text', text: '5' }], details: 5 } } })
    expect(await invoke(url, { name: 'echo_args', args: { note: 'hi' } })).toEqual({
      status: 200,
      body: { ok: true, result: { content: [{ type: 'text', text: '{"note":"hi"}' }], details: { note: 'hi' } } },
    })
  })

  it('should accept `tool` for the name, and apply the kernel\'s one rule for `action`', async () => {
    const url = await start()
    // The tool's parameters have `action`: it becomes args.action.
    expect((await invoke(url, { tool: 'echo_args', action: 'list', args: { x: 1 } })).body).toMatchObject({ ok: true, result: { details: { action: 'list', x: 1 } } })
    expect((await invoke(url, { tool: 'echo_args', action: 'list', args: { action: 'list' } })).status).toBe(200)
    // args.action saying otherwise is refused, not silently overridden either way.
    const clash = await invoke(url, { tool: 'echo_args', action: 'list', args: { action: 'delete' } })
    expect(clash).toMatchObject({ status: 400, body: { ok: false, error: { type: 'invalid_request', message: expect.stringContaining("'list' disagrees with args.action") } } })
    // Parameters without `action`: it is ignored (a strict schema would refuse it otherwise).
    expect((await invoke(url, { name: 'add', action: 'sum', args: { a: 1, b: 2 } })).body).toMatchObject({ ok: true, result: { details: 3 } })
  })

  it('should need the gateway credential', async () => {
    const url = await start()
    expect((await invoke(url, { name: 'add', args: { a: 1, b: 1 } }, null)).status).toBe(401)
    expect((await invoke(url, { name: 'add', args: { a: 1, b: 1 } }, 'wrong')).status).toBe(401)
  })

  it('should answer 404 not_found for an unknown tool', async () => {
    const url = await start()
    expect(await invoke(url, { name: 'nope' })).toEqual({ status: 404, body: { ok: false, error: { type: 'not_found', message: "Tool 'nope' does not exist" } } })
  })

  it("should answer 404 for a tool the agent's tool policy denies", async () => {
    const url = await start({ agents: { defaults: { tools: { deny: ['secret_*'] } } } })
    const res = await invoke(url, { name: 'secret_read' })
    expect(res.status).toBe(404)
    expect(res.body).toMatchObject({ ok: false, error: { type: 'not_found', message: expect.stringContaining('tool policy') } })
  })

  it('should refuse a dangerous tool over HTTP, saying how to allow it', async () => {
    const url = await start()
    const res = await invoke(url, { name: 'nuke' })
    expect(res.status).toBe(404)
    expect(res.body.error).toEqual({ type: 'not_found', message: expect.stringContaining('gateway.tools.allowDangerous') })
  })

  it('should refuse tools on the built-in HTTP deny list', async () => {
    const url = await start()
    expect((await invoke(url, { name: 'exec' })).status).toBe(404)
  })

  it('should run a dangerous tool listed in gateway.tools.allowDangerous', async () => {
    const url = await start({ gateway: { tools: { allowDangerous: ['nuke', 'exec'] } } })
    expect(await invoke(url, { name: 'nuke' })).toEqual({ status: 200, body: { ok: true, result: { content: [{ type: 'text', text: 'boom' }], details: 'boom' } } })
    expect(await invoke(url, { name: 'exec' })).toEqual({ status: 200, body: { ok: true, result: { content: [{ type: 'text', text: 'ran' }], details: 'ran' } } })
  })

  it('should let gateway.tools.deny win over allowDangerous', async () => {
    const url = await start({ gateway: { tools: { allowDangerous: ['nuke'], deny: ['nu*', 'add'] } } })
    expect((await invoke(url, { name: 'nuke' })).status).toBe(404)
    expect((await invoke(url, { name: 'add', args: { a: 1, b: 2 } })).body.error?.message).toContain('gateway.tools.deny')
  })

  it('should answer 400 invalid_request for invalid args', async () => {
    const url = await start()
    const res = await invoke(url, { name: 'add', args: { a: 'two', b: 3 } })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ ok: false, error: { type: 'invalid_request', message: expect.stringContaining("Invalid arguments for tool 'add'") } })
  })

  it('should answer 400 invalid_request for a bad body', async () => {
    const url = await start()
    expect(await invoke(url, { args: {} })).toEqual({ status: 400, body: { ok: false, error: { type: 'invalid_request', message: 'name: name (or tool) is required' } } })
    expect((await invoke(url, { name: 'add', argz: {} })).status).toBe(400)
    expect((await invoke(url, ['add'])).status).toBe(400)
    expect((await invoke(url, { name: 'add', args: [1, 2] })).status).toBe(400)
  })

  it('should answer 400 for an unknown agent', async () => {
    const url = await start()
    const res = await invoke(url, { name: 'add', args: { a: 1, b: 2 }, agentId: 'ghost' })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request', message: expect.stringContaining("Agent 'ghost'") })
  })

  it('should answer 500 tool_error when the tool throws', async () => {
    const url = await start()
    expect(await invoke(url, { name: 'explode' })).toEqual({ status: 500, body: { ok: false, error: { type: 'tool_error', message: "Tool 'explode' failed: kaput" } } })
  })

  it('should answer other methods with 405 Allow: POST', async () => {
    const url = await start()
    const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })
})
