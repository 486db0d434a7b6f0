import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { CRON_ERR_WEBHOOK_BLOCKED } from './errors.js'

/** IPv4 ranges a webhook may not reach: this host, private networks, link-local (cloud metadata), CGNAT, multicast, reserved. */
const BLOCKED_V4: readonly [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 4], [0xf0000000, 4],
]

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
}

/** True for an address a webhook must not reach (loopback, private, link-local, unique-local, mapped ones of those). */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip)
    return BLOCKED_V4.some(([base, bits]) => (n & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0 === base)
  }
  const lower = ip.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped) return isPrivateAddress(mapped[1]!)
  return lower === '::' || lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || /^ff/.test(lower)
}

export interface WebhookPolicy {
  /** Hosts that may resolve to private addresses (a webhook receiver on the LAN, a test server). */
  readonly allowedHostnames: readonly string[]
}

/**
 * Check a webhook URL before it is called: http(s) only, no credentials in it, and every address its
 * host resolves to public, unless the host is allowed by name. Throws `CRON_ERR_WEBHOOK_BLOCKED`.
 * Returns the address to connect to, so a second lookup cannot swap in a private one.
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy, resolve = lookup): Promise<URL> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new CRON_ERR_WEBHOOK_BLOCKED(raw, 'not a URL')
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CRON_ERR_WEBHOOK_BLOCKED(shown, 'only http and https are allowed')
  if (url.username || url.password) throw new CRON_ERR_WEBHOOK_BLOCKED(shown, 'credentials in the URL are not allowed')
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (policy.allowedHostnames.some((allowed) => allowed.toLowerCase() === host)) return url
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host, { all: true }).catch(() => [])
  if (addresses.length === 0) throw new CRON_ERR_WEBHOOK_BLOCKED(shown, 'its host does not resolve')
  const blocked = addresses.find((a) => isPrivateAddress(a.address))
  if (blocked) throw new CRON_ERR_WEBHOOK_BLOCKED(shown, `its host resolves to a private address (${blocked.address})`)
  return url
}
