import { createGateway, type Gateway } from '@openclaw/core'
import { definePlugin, defineTool } from '@openclaw/plugin-sdk'
import { z } from 'zod'

/** One inline plugin: it taps a hook and registers a tool. */
export const greeter = definePlugin({
  id: 'example:greeter',
  version: '1.0.0',
  register(api) {
    api.hooks.beforeAgentRun.tap('example:greeter', (plan) => ({ ...plan, systemPrompt: `${plan.systemPrompt}\nGreet warmly.` }))
    api.tools.register(defineTool({ name: 'greet', description: 'Greet someone by name', parameters: z.object({ name: z.string() }), execute: ({ name }) => `Hello, ${name}!` }))
  },
})

/** Embed the core: no CLI, no socket; the caller decides where state lives. */
export async function startHost(options: { stateDir: string; config?: Record<string, unknown> }): Promise<Gateway> {
  const gateway = await createGateway({ stateDir: options.stateDir, config: options.config ?? {}, plugins: [greeter] })
  await gateway.start()
  return gateway
}
