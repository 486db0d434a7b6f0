// @openclaw/plugin-http-tools: `POST /tools/invoke`, calling one gateway tool over HTTP with the
// gateway credential. Always on. Explicit names only.
import { definePlugin, type PluginDefinition } from '@openclaw/plugin-sdk'
import { HttpToolPolicy } from './http-tool-policy.js'
import { HttpToolsConfigSchema, type HttpToolsConfig } from './http-tools-config.js'
import { createInvokeRoute } from './invoke-route.js'

const PLUGIN_NAME = 'http:tools'

/** A factory: each call makes a fresh plugin, so gateways in one process share nothing. */
export default function httpTools(): PluginDefinition<HttpToolsConfig> {
  return definePlugin<HttpToolsConfig>({
  id: PLUGIN_NAME,
  version: '1.0.0',
  name: 'HTTP tools',
  description: 'POST /tools/invoke: call a gateway tool over HTTP',
  kind: 'surface',
  apiVersion: '^2.0.0',
  configKey: 'gateway.tools',
  config: HttpToolsConfigSchema,
  dependsOn: ['core:http'],
  register(api) {
    api.http.route(
      createInvokeRoute({
        gateway: api.gateway,
        policy: new HttpToolPolicy(api.config),
        bodyLimit: api.config.maxBodyBytes,
        log: api.log,
      }),
    )
  },
})
}

export { PLUGIN_NAME }
export { HttpToolsConfigSchema, DEFAULT_TOOLS_BODY_BYTES } from './http-tools-config.js'
export { DEFAULT_HTTP_DENY, HttpToolPolicy } from './http-tool-policy.js'
export { INVOKE_PATH } from './invoke-route.js'
export { InvokeRequestSchema } from './invoke-request.js'

export type { HttpToolsConfig, HttpToolsConfigInput } from './http-tools-config.js'
export type { InvokeRequest } from './invoke-request.js'
