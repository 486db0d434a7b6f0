import type { PluginDefinition } from '@openclaw/core'
import channelTelegram from '@openclaw/plugin-channel-telegram'
import channelWebhook from '@openclaw/plugin-channel-webhook'
import cron from '@openclaw/plugin-cron'
import httpHooks from '@openclaw/plugin-http-hooks'
import httpOpenAi from '@openclaw/plugin-http-openai'
import httpServer from '@openclaw/plugin-http-server'
import httpTools from '@openclaw/plugin-http-tools'
import rpc from '@openclaw/plugin-rpc'
import toolsMemory from '@openclaw/plugin-tools-memory'
import { providerPlugins } from './provider-plugins.js'

/**
 * The first-party plugin set `openclaw gateway` runs: the HTTP server (`core:http`), the surfaces
 * served on its port, the webhook and Telegram channels, the scheduler (`cron`), the memory tools (`tool:memory`), and the model providers. The CLI is the
 * only package that imports plugins; the core sorts them by dependency, so the order here does not
 * matter. Fresh instances on every call: each gateway gets plugins of its own.
 */
export function defaultPlugins(): PluginDefinition<unknown>[] {
  return [httpServer(), httpOpenAi(), httpTools(), httpHooks(), rpc(), channelWebhook(), channelTelegram(), cron(), toolsMemory(), ...providerPlugins()] as PluginDefinition<unknown>[]
}
