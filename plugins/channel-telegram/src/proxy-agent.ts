import type { Agent } from 'node:http'
import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'

/** The proxy URLs `proxy` takes (`socks5h:` resolves host names at the proxy). */
export const PROXY_PROTOCOLS: readonly string[] = ['http:', 'https:', 'socks5:', 'socks5h:']

/** Is this a proxy URL `proxy` takes: `http://`, `https://`, `socks5://` or `socks5h://`, a host, no path? */
export function isProxyUrl(value: string): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return PROXY_PROTOCOLS.includes(url.protocol) && url.hostname !== '' && (url.pathname === '' || url.pathname === '/') && url.search === '' && url.hash === ''
}

/**
 * The agent that sends an account's Bot API calls and file downloads (both on `target`'s origin, the
 * `apiRoot`) through `proxy`: SOCKS for `socks5://`, else CONNECT for an https target and a forward
 * (absolute-URI) request for a plain http one. Credentials in the proxy URL are sent to the proxy only;
 * the URL is never logged.
 */
export function createProxyAgent(proxy: string, target: string): Agent {
  const url = new URL(proxy)
  if (url.protocol.startsWith('socks')) return new SocksProxyAgent(url, { keepAlive: true })
  return new URL(target).protocol === 'https:' ? new HttpsProxyAgent(url, { keepAlive: true }) : new HttpProxyAgent(url, { keepAlive: true })
}
