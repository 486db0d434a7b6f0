import { BlockList, isIP } from 'node:net'
import { invalidParam } from './openai-error.js'

/** Addresses a URL passed to a model provider may not name: the provider may sit on this host or network. */
const PRIVATE = new BlockList()
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6')

/**
 * The one rule for media URLs (`image_url` on both endpoints, `input_image` URLs): they are passed on
 * to the model provider, never fetched by the gateway, and must be `https://` with a public host: no
 * credentials in the URL, no `localhost`, no loopback, private or link-local address. Throws 400 naming
 * the part otherwise. (A DNS name is not resolved: the gateway does not fetch.)
 */
export function checkMediaUrl(value: string, param: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalidParam(param, 'expected an https:// URL or a data: URL')
  }
  if (url.protocol !== 'https:') throw invalidParam(param, `only https:// URLs are accepted (got ${url.protocol.slice(0, 20)}); or send the content inline as a base64 data: URL`)
  if (url.username !== '' || url.password !== '') throw invalidParam(param, 'URLs with credentials are not accepted')
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const family = isIP(host)
  const mapped = family === 6 && host.startsWith('::ffff:') ? host.slice(7) : undefined
  const privateAddress =
    (mapped !== undefined && isIP(mapped) === 4 && PRIVATE.check(mapped, 'ipv4')) ||
    (family === 4 && PRIVATE.check(host, 'ipv4')) ||
    (family === 6 && PRIVATE.check(host, 'ipv6'))
  if (host === 'localhost' || host.endsWith('.localhost') || privateAddress) {
    throw invalidParam(param, 'URLs of loopback, private or link-local hosts are not accepted')
  }
}
