import providerAnthropic from '@openclaw/plugin-provider-anthropic'
import providerOpenAi from '@openclaw/plugin-provider-openai'
import type { PluginInput } from '@openclaw/core'
import { createScriptedModelServer, createTestGateway, type ScriptedModelServer, type TestGateway } from '@openclaw/plugin-sdk/testing'

export interface Harness {
  readonly gateway: TestGateway
  readonly model: ScriptedModelServer
  close(): Promise<void>
}

/** A started gateway whose `openai` provider talks to a scripted model server on loopback. */
export async function startHarness(options: { config?: Record<string, unknown>; plugins?: readonly PluginInput[]; stateDir?: string; format?: 'openai' | 'anthropic' } = {}): Promise<Harness> {
  const model = await createScriptedModelServer()
  const anthropic = options.format === 'anthropic'
  const config = {
    ...options.config,
    models: {
      providers: anthropic
        ? { anthropic: { baseUrl: model.url, apiKey: 'test-key', maxRetries: 3 } }
        : { openai: { baseUrl: model.baseUrl, apiKey: 'test-key', maxRetries: 3 } },
    },
    agents: {
      ...(options.config?.agents as object | undefined),
      defaults: { model: anthropic ? 'anthropic/claude-test' : 'openai/scripted-model', ...((options.config?.agents as { defaults?: object } | undefined)?.defaults) },
    },
  }
  const gateway = await createTestGateway({
    realClock: true,
    config,
    plugins: [anthropic ? providerAnthropic() : providerOpenAi(), ...(options.plugins ?? [])],
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  })
  return {
    gateway,
    model,
    async close() {
      await gateway.stop()
      await model.close()
    },
  }
}

/** The model requests the scripted server received, as parsed bodies. */
export function modelCalls(model: ScriptedModelServer): { messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[]; tools?: { function: { name: string } }[] }[] {
  return model.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as never)
}
