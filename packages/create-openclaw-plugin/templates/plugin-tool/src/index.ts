import { definePlugin, defineTool } from '@openclaw/plugin-sdk'
import { z } from 'zod'

export const PLUGIN_NAME = '__PLUGIN_ID__'

/** This plugin's config (`plugins.entries["__PLUGIN_ID__"].config`), validated before register() runs. */
export const GreetConfig = z.object({
  greeting: z.string().min(1).default('Hello'),
})
export type GreetConfig = z.output<typeof GreetConfig>

export const greetTool = (config: GreetConfig) =>
  defineTool({
    name: 'greet',
    description: 'Greet someone by name.',
    parameters: z.object({ name: z.string().min(1).describe('Who to greet') }),
    execute: ({ name }) => ({ message: `${config.greeting}, ${name}!` }),
  })

/** The plugin, as a factory: each call is one instance (keep per-gateway state in its closure). */
export default function greetPlugin() {
  return definePlugin<GreetConfig>({
    id: PLUGIN_NAME,
    version: '0.1.0',
    kind: 'tool',
    apiVersion: '__API_RANGE__',
    description: 'A greet tool the agent can call',
    config: GreetConfig,
    register(api) {
      api.tools.register(greetTool(api.config))
    },
  })
}
