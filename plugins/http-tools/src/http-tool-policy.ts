import type { ToolDefinition } from '@openclaw/plugin-sdk'
import type { HttpToolsConfig } from './http-tools-config.js'
import { createToolGlob } from './tool-glob.js'

/**
 * Tools never callable over HTTP unless allowed by name (OpenClaw's hard HTTP deny list): they run
 * commands, write files, spawn sessions or reconfigure the gateway.
 */
export const DEFAULT_HTTP_DENY: readonly string[] = Object.freeze([
  'exec', 'spawn', 'shell', 'fs_write', 'fs_delete', 'fs_move', 'apply_patch',
  'sessions_spawn', 'sessions_send', 'cron', 'gateway', 'nodes',
])

/**
 * What `/tools/invoke` refuses before the gateway's own tool policy runs: `gateway.tools.deny`
 * always; dangerous tools (flagged, or on {@link DEFAULT_HTTP_DENY}) unless allowed by name.
 */
export class HttpToolPolicy {
  readonly #denied: (name: string) => boolean
  readonly #allowed: ReadonlySet<string>
  readonly #hardDeny = new Set(DEFAULT_HTTP_DENY)

  constructor(config: Pick<HttpToolsConfig, 'allowDangerous' | 'allow' | 'deny'>) {
    this.#denied = createToolGlob(config.deny)
    this.#allowed = new Set([...config.allowDangerous, ...config.allow].map((n) => n.toLowerCase()))
  }

  /** `undefined` when `name` may be invoked over HTTP, else why not (for the 404 message). */
  check(name: string, tool: ToolDefinition | undefined): string | undefined {
    if (this.#denied(name)) return `Tool '${name}' is denied over HTTP by gateway.tools.deny`
    const key = name.toLowerCase()
    if (this.#allowed.has(key)) return undefined
    if (tool?.dangerous === true) {
      return `Tool '${name}' is dangerous and not available over HTTP; to allow it, add '${name}' to gateway.tools.allowDangerous`
    }
    if (this.#hardDeny.has(key)) {
      return `Tool '${name}' is on the built-in HTTP deny list; to allow it, add '${name}' to gateway.tools.allowDangerous`
    }
    return undefined
  }
}
