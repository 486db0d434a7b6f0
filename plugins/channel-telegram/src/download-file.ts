import { get as httpGet, type Agent, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'

/**
 * GET a file (Telegram's download URL) with node's http client, so the account's proxy agent applies
 * as it does to grammY's calls (global `fetch` takes no agent). Resolves with the response once its
 * headers arrived; the caller reads or `destroy()`s the body. Errors are node's (`code`, or `AbortError`).
 */
export function downloadFile(url: string, options: { readonly agent: Agent | undefined; readonly signal: AbortSignal }): Promise<IncomingMessage> {
  const target = new URL(url)
  const get = target.protocol === 'https:' ? httpsGet : httpGet
  return new Promise((resolve, reject) => {
    const request = get(target, { signal: options.signal, ...(options.agent ? { agent: options.agent } : {}) }, resolve)
    request.on('error', reject)
  })
}
