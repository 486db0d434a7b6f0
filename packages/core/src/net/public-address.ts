import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'

/** IPv4 ranges an outbound fetch may not reach: this host, private networks, link-local (cloud metadata), CGNAT, benchmark, multicast, reserved. */
const BLOCKED_V4: readonly [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 4], [0xf0000000, 4],
]

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0
}

/** True for an address the gateway must not fetch from on a user's behalf (loopback, private, link-local, unique-local, and IPv4-mapped ones of those). */
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

export type ResolveHost = (host: string, options: { all: true }) => Promise<readonly { address: string }[]>

/**
 * Why a URL may not be fetched on a user's behalf (SSRF), or undefined when it may: http(s) only, no
 * credentials in it, and every address its host resolves to public, unless the host is allowed by
 * name (a server on the LAN, a test server).
 */
export async function publicUrlProblem(url: URL, allowedHostnames: readonly string[], resolve: ResolveHost = lookup): Promise<string | undefined> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https are allowed'
  if (url.username || url.password) return 'credentials in the URL are not allowed'
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (allowedHostnames.some((allowed) => allowed.toLowerCase() === host)) return undefined
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host, { all: true }).catch(() => [])
  if (addresses.length === 0) return 'its host does not resolve'
  const blocked = addresses.find((a) => isPrivateAddress(a.address))
  return blocked ? `its host resolves to a private address (${blocked.address})` : undefined
}

/** A URL as it may be shown in logs and errors: no query, fragment or credentials (they may carry tokens). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
