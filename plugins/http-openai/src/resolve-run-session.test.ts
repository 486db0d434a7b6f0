import type { GatewayRuntime } from '@openclaw/plugin-sdk'
import { createTestGateway, type TestGateway } from '@openclaw/plugin-sdk/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeUserSegment, resolveRunSession } from './resolve-run-session.js'

let gateway: TestGateway
beforeAll(async () => {
  gateway = await createTestGateway({ config: { agents: { entries: { ops: {} } } } })
})
afterAll(async () => {
  await gateway.stop()
})

const resolve = (input: { agentId?: string; explicit?: boolean; user?: string; key?: string }) =>
  resolveRunSession({
    gateway: gateway as GatewayRuntime,
    target: { agentId: input.agentId ?? 'main', explicit: input.explicit ?? false },
    headers: input.key ? { 'x-openclaw-session-key': input.key } : {},
    user: input.user,
    prefix: 'openai',
  })

describe('resolveRunSession', async () => {
  it('should key a user session as agent:<id>:openai-user:<user>, lowercased, with spaces encoded', async () => {
    expect((await resolve({ user: ' Ada ' })).sessionKey).toBe('agent:main:openai-user:ada')
    expect((await resolve({ agentId: 'ops', explicit: true, user: 'Ada Lovelace' })).sessionKey).toBe('agent:ops:openai-user:ada%20lovelace')
    expect(encodeUserSegment('a%b\tc')).toBe('a%25b%09c')
  })

  it('should make a fresh session without user, and report no history', async () => {
    const a = await resolve({})
    expect(a.sessionKey).toMatch(/^agent:main:openai:[0-9a-f-]{36}$/)
    expect(a.hasHistory).toBe(false)
    expect((await resolve({})).sessionKey).not.toBe(a.sessionKey)
  })

  it('should scope a bare header key to the agent, and let an agent key pick the agent unless one was chosen', async () => {
    expect((await resolve({ agentId: 'ops', explicit: true, key: 'incident-1' })).sessionKey).toBe('agent:ops:incident-1')
    await expect(resolve({ key: 'agent:ops:x' })).resolves.toMatchObject({ agentId: 'ops', sessionKey: 'agent:ops:x' })
    await expect(resolve({ explicit: true, key: 'agent:ops:x' })).rejects.toThrow(expect.objectContaining({ code: 'CORE_ERR_SESSION_AGENT_MISMATCH' }))
  })

  it('should refuse reserved namespaces', async () => {
    for (const key of ['subagent:x', 'cron:job', 'acp:1', 'agent:main:subagent:x']) {
      await expect(resolve({ key })).rejects.toThrow(expect.objectContaining({ code: 'OAI_ERR_SESSION_KEY_RESERVED' }))
    }
  })
})
