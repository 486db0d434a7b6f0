// @openclaw/plugin-channel-webhook: a generic webhook channel. Standard Webhooks-signed POSTs in
// (`/channels/webhook/<account>`), signed reply POSTs out. Explicit names only.
import { definePlugin, type PluginDefinition, Tokens } from '@openclaw/plugin-sdk'
import { createInboundRoute } from './inbound-route.js'
import { createWebhookChannel } from './webhook-channel.js'
import { WebhookConfigSchema, type WebhookConfig } from './webhook-config.js'

const PLUGIN_NAME = 'channel:webhook'

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function channelWebhook(): PluginDefinition<WebhookConfig> {
  return definePlugin<WebhookConfig>({
    id: PLUGIN_NAME,
    version: '1.0.0',
    name: 'Webhook channel',
    description: 'A generic webhook channel: Standard Webhooks-signed POSTs in, signed reply POSTs out',
    kind: 'channel',
    apiVersion: '^2.0.0',
    configKey: 'channels.webhook',
    config: WebhookConfigSchema,
    dependsOn: ['core:http'],
    register(api) {
      // No account, no channel: nothing to receive for or send to.
      if (Object.keys(api.config.accounts).length === 0) return
      const clock = api.services.resolve(Tokens.Clock)
      const config = () => api.config
      api.channels.register(createWebhookChannel(config, () => clock.now()))
      api.http.route(createInboundRoute({ config, gateway: api.gateway, log: api.log, now: () => clock.now() }))
    },
    start(api) {
      const accounts = Object.keys(api.config.accounts)
      if (accounts.length === 0) api.log.warn('channels.webhook has no accounts: nothing is received or sent')
      else api.log.info({ accounts }, `webhook channel: POST /channels/webhook/<account> for ${accounts.join(', ')}`)
    },
  })
}

export { PLUGIN_NAME }
export { WebhookConfigSchema } from './webhook-config.js'
export { InboundBodySchema } from './inbound-body.js'
export { INBOUND_PATH } from './inbound-route.js'
export { CHANNEL_ID, replyBody } from './webhook-channel.js'
export { verifyStandardWebhook, signStandardWebhook, signSha256, SIGNATURE_TOLERANCE_MS } from './verify-signature.js'
export { WH_ERR_SIGNATURE_INVALID, WH_ERR_TIMESTAMP, WH_ERR_BODY_INVALID, WH_ERR_ACCOUNT_UNKNOWN, WH_ERR_REPLY_FAILED } from './errors.js'
export type { WebhookConfig, WebhookConfigInput, WebhookAccount } from './webhook-config.js'
export type { InboundBody } from './inbound-body.js'
