import { expectTypeOf, test } from 'vitest'
import type { AgentRunPlan, ToolCallDecision } from '../types/agent.js'
import type { InboundMessage, OutboundMessage } from '../types/messages.js'
import type { PluginHooks } from './kernel-hooks.js'

declare const hooks: PluginHooks

test('waterfall taps receive and return the value', () => {
  hooks.inboundMessage.tap('x', (m) => {
    expectTypeOf(m).toEqualTypeOf<InboundMessage | null>()
    return m
  })
  hooks.messageSending.tapPromise('x', async (m) => {
    expectTypeOf(m).toEqualTypeOf<OutboundMessage | null>()
    return null
  })
  hooks.beforeAgentRun.tap('x', (plan) => {
    expectTypeOf(plan).toEqualTypeOf<AgentRunPlan>()
    return { ...plan, model: 'openai/gpt-4o-mini' }
  })
})

test('beforeToolCall is a bail hook with a decision', () => {
  hooks.beforeToolCall.tap('x', () => {
    const decision: ToolCallDecision | undefined = { deny: 'no' }
    return decision
  })
})

test('the plugin view has no call', () => {
  expectTypeOf(hooks.inboundMessage).not.toHaveProperty('call')
  expectTypeOf(hooks.inboundMessage).not.toHaveProperty('promise')
})
