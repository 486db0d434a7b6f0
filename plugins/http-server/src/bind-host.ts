import { isIP } from 'node:net'

/** The address to listen on for `gateway.bind`: `loopback` → 127.0.0.1, `lan` → 0.0.0.0, else as given. */
export function resolveBindHost(bind: string): string {
  if (bind === 'loopback') return '127.0.0.1'
  if (bind === 'lan') return '0.0.0.0'
  return bind
}

/** True when only this machine can reach `host`: 127.0.0.0/8, ::1 (also IPv4-mapped) or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h === '::1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h
  return isIP(v4) === 4 && v4.startsWith('127.')
}

/** `http://host:port`, with IPv6 hosts in brackets. */
export function formatUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`
}
