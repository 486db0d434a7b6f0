import { publicUrlProblem, shownUrl, type ResolveHost } from '@openclaw/plugin-sdk/net'
import { CRON_ERR_WEBHOOK_BLOCKED } from './errors.js'

export interface WebhookPolicy {
  /** Hosts that may resolve to private addresses (a webhook receiver on the LAN, a test server). */
  readonly allowedHostnames: readonly string[]
}

/**
 * Check a webhook URL before it is called, with the gateway's SSRF check (`@openclaw/plugin-sdk/net`):
 * http(s) only, no credentials in it, and every address its host resolves to public, unless the host
 * is allowed by name. Throws `CRON_ERR_WEBHOOK_BLOCKED`.
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy, resolve?: ResolveHost): Promise<URL> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new CRON_ERR_WEBHOOK_BLOCKED(raw, 'not a URL')
  }
  const problem = await publicUrlProblem(url, policy.allowedHostnames, resolve)
  if (problem) throw new CRON_ERR_WEBHOOK_BLOCKED(shownUrl(url), problem)
  return url
}
