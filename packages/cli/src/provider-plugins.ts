import type { PluginDefinition } from '@openclaw/core'
import providerAnthropic from '@openclaw/plugin-provider-anthropic'
import providerOpenAi from '@openclaw/plugin-provider-openai'

/**
 * The first-party model providers: all `openclaw agent --local` needs. Kept apart from the
 * surfaces so an embedded run does not load the HTTP server and its routes. Fresh instances per call.
 */
export function providerPlugins(): PluginDefinition<unknown>[] {
  return [providerOpenAi(), providerAnthropic()] as PluginDefinition<unknown>[]
}
