// Test support for the core's own inbound tests (not exported from the package): a clock the test
// moves, a wait for a condition, and a plugin whose scripted model and `test` channel record what
// they see.
import { systemClock, type Clock } from '../clock/clock.js'
import type { PluginHooks } from '../hooks/kernel-hooks.js'
import type { OutboundMessage } from '../types/messages.js'
import type { ModelMessage, ModelProvider, ModelStreamEvent } from '../types/providers.js'

/** Real timers; the time the gateway reads moves when told (`clock.offset`). */
export function movableClock(): Clock & { offset: number } {
  const clock = { ...systemClock, offset: 0, now: () => Date.now() + clock.offset }
  return clock
}

/** Wait until `check` holds, every 20 ms; throws naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

interface TestPluginApi {
  providers: { register(p: ModelProvider): void }
  channels: { register(c: unknown): void }
  hooks: PluginHooks
}

export interface RecordingPlugin {
  /** A fresh plugin definition (one per gateway; every one records into the same arrays). */
  readonly plugin: () => never
  /** Each model request's messages, in order; the model answers `answer <n>`. */
  readonly requests: (readonly ModelMessage[])[]
  /** What the `test` channel was asked to send. */
  readonly delivered: OutboundMessage[]
}

/**
 * A plugin with the `scripted` provider (model `scripted/m`) and a `test` channel whose `send()`
 * records the message; `channel` adds to the channel definition, `register` taps more.
 */
export function recordingPlugin(options: { readonly channel?: Record<string, unknown>; readonly register?: (api: TestPluginApi) => void } = {}): RecordingPlugin {
  const requests: (readonly ModelMessage[])[] = []
  const delivered: OutboundMessage[] = []
  const provider: ModelProvider = {
    id: 'scripted',
    models: ['m'],
    stream: (request) => ({
      async *[Symbol.asyncIterator](): AsyncIterator<ModelStreamEvent> {
        requests.push([...request.messages])
        yield { type: 'text', delta: `answer ${requests.length}` }
        yield { type: 'finish', reason: 'stop' }
      },
    }),
  }
  const plugin = () => ({
    id: 'test-parts', version: '1.0.0',
    register: (api: TestPluginApi) => {
      options.register?.(api)
      api.providers.register(provider)
      api.channels.register({ id: 'test', send: async (message: OutboundMessage) => ({ messageId: String(delivered.push(message)) }), ...options.channel })
    },
  }) as never
  return { plugin, requests, delivered }
}
