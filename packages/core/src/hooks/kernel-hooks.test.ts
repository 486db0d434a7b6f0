import { describe, expect, it } from 'vitest'
import { isCodedError } from '../errors/create-error.js'
import { HookMetrics, instrumentHooks } from './hook-metrics.js'
import { createKernelHooks, createPluginHooks, HOOK_NAMES } from './kernel-hooks.js'
import { STAGE_GUARD, STAGE_OBSERVE, STAGE_POST } from './stages.js'
import type { InboundMessage } from '../types/messages.js'

const message: InboundMessage = { id: '1', channel: 'memory', peer: { id: 'u', kind: 'direct' }, text: 'hi', receivedAt: 0 }

describe('kernel hooks', () => {
  it('is a frozen map with every documented hook', () => {
    const hooks = createKernelHooks()
    expect(Object.isFrozen(hooks)).toBe(true)
    expect(Object.keys(hooks).sort()).toEqual([...HOOK_NAMES].sort())
  })

  it('gives plugins a view that can tap but not call, promise or intercept, at runtime', () => {
    const view = createPluginHooks(createKernelHooks(), 'tool:x') as unknown as Record<string, Record<string, unknown>>
    for (const name of HOOK_NAMES) {
      expect(typeof view[name]!.tap).toBe('function')
      expect(typeof view[name]!.tapPromise).toBe('function')
      expect(view[name]!.call).toBeUndefined()
      expect(view[name]!.callAsync).toBeUndefined()
      expect(view[name]!.promise).toBeUndefined()
      expect(view[name]!.intercept).toBeUndefined()
      expect(view[name]!.taps).toBeUndefined()
    }
    expect(Object.isFrozen(view)).toBe(true)
  })

  it('orders taps by stage, not by registration order', async () => {
    const hooks = createKernelHooks()
    const order: string[] = []
    const a = createPluginHooks(hooks, 'a')
    const b = createPluginHooks(hooks, 'b')
    const c = createPluginHooks(hooks, 'c')
    a.inboundMessage.tap({ stage: STAGE_OBSERVE }, (m) => (order.push('observe'), m))
    b.inboundMessage.tap({ stage: STAGE_POST }, (m) => (order.push('post'), m))
    c.inboundMessage.tap({ stage: STAGE_GUARD }, (m) => (order.push('guard'), m))
    await hooks.inboundMessage.promise(message)
    expect(order).toEqual(['guard', 'post', 'observe'])
  })

  it('lets a waterfall tap rewrite and a later tap see the rewrite', async () => {
    const hooks = createKernelHooks()
    createPluginHooks(hooks, 'a').inboundMessage.tap('upper', (m) => m && { ...m, text: m.text.toUpperCase() })
    createPluginHooks(hooks, 'b').inboundMessage.tap({ stage: STAGE_POST }, (m) => m && { ...m, text: `${m.text}!` })
    expect((await hooks.inboundMessage.promise(message))?.text).toBe('HI!')
  })

  it('stamps every tap with its plugin, even if the plugin claims another', () => {
    const hooks = createKernelHooks()
    createPluginHooks(hooks, 'honest').agentEnd.tap({ name: 'x', plugin: 'spoofed' } as never, () => {})
    expect((hooks.agentEnd.taps[0] as { plugin?: string }).plugin).toBe('honest')
  })

  it("attributes a tap's error and time to its plugin", async () => {
    const hooks = createKernelHooks()
    const metrics = new HookMetrics()
    instrumentHooks(hooks, metrics)
    createPluginHooks(hooks, 'good').messageReceived.tapPromise('g', async () => {})
    createPluginHooks(hooks, 'bad').messageReceived.tap('b', () => {
      throw new Error('boom')
    })
    const err = await hooks.messageReceived.promise(message).catch((e: unknown) => e)
    expect(isCodedError(err, 'CORE_ERR_HOOK_TAP_FAILED')).toBe(true)
    expect((err as Error).message).toContain("plugin 'bad'")
    expect((err as Error).message).toContain('boom')
    expect(((err as Error).cause as Error).message).toBe('boom')
    const stats = metrics.snapshot()
    expect(stats.find((s) => s.plugin === 'bad')).toMatchObject({ hook: 'messageReceived', calls: 1, errors: 1 })
    expect(stats.find((s) => s.plugin === 'good')).toMatchObject({ calls: 1, errors: 0 })
  })
})
