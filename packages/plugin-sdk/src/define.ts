import type {
  ChannelDefinition,
  ModelApi,
  ModelProvider,
  PluginDefinition,
  SkillDefinition,
  ToolDefinition,
} from '@openclaw/core'

/** Declare a plugin. An identity function that exists for type inference; it registers nothing. */
export function definePlugin<Config = undefined>(definition: PluginDefinition<Config>): PluginDefinition<Config> {
  return definition
}

/** Declare a channel, for `api.channels.register()`. */
export function defineChannel(definition: ChannelDefinition): ChannelDefinition {
  return definition
}

/** Declare a tool, for `api.tools.register()`. With a zod `parameters` schema, `execute` gets typed arguments. */
export function defineTool<Args, Result>(definition: ToolDefinition<Args, Result>): ToolDefinition<Args, Result> {
  return definition
}

/** Declare a skill, for `api.skills.register()`. */
export function defineSkill(definition: SkillDefinition): SkillDefinition {
  return definition
}

/** Declare a model provider, for `api.providers.register()`. */
export function defineProvider(provider: ModelProvider): ModelProvider {
  return provider
}

/** Declare a wire API adapter, for `api.providers.adapter()`: one provider per `models.providers.<id>` entry naming it. */
export function defineModelApi<Options>(adapter: ModelApi<Options>): ModelApi<Options> {
  return adapter
}
