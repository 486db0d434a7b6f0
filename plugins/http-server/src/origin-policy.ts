import type { IncomingHttpHeaders } from 'node:http'
import type { CodedError } from '@openclaw/plugin-sdk'
import { isLoopbackHost } from './bind-host.js'
import { HTTP_ERR_HOST_NOT_ALLOWED, HTTP_ERR_ORIGIN_NOT_ALLOWED } from './errors.js'

export interface OriginPolicyOptions {
  /** `gateway.controlUi.allowedOrigins`: browser origins that may call the gateway (`https://ui.example.com`). */
  readonly allowedOrigins: readonly string[]
  /** `gateway.allowedHosts`: host names besides the loopback ones a loopback-bound gateway answers to. */
  readonly allowedHosts: readonly string[]
  /** Check `Host` (on loopback binds: the defence against DNS rebinding). */
  readonly checkHost: boolean
}

/** `https://Example.com:443/` → `https://example.com`; `undefined` for what is not an http(s) origin. */
function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin.toLowerCase() : undefined
  } catch {
    return undefined
  }
}

/** The host name of a `Host` header, without its port (`[::1]:80` → `::1`). */
function hostName(host: string): string {
  const h = host.trim().toLowerCase()
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'))
  const colon = h.lastIndexOf(':')
  return colon === -1 ? h : h.slice(0, colon)
}

/**
 * Which browsers and host names the gateway answers, on HTTP requests and WebSocket upgrades alike.
 * A request with an `Origin` header comes from a browser page: it is refused unless that origin is
 * listed (non-browser clients send no `Origin` and are not affected). On loopback binds the `Host`
 * header must name the loopback (`localhost`, `127.x.x.x`, `::1`) or a configured host: a page whose
 * DNS name was rebound to 127.0.0.1 still sends its own name, and is refused.
 */
export class OriginPolicy {
  readonly #origins: ReadonlySet<string>
  readonly #hosts: ReadonlySet<string>

  constructor(private readonly options: OriginPolicyOptions) {
    this.#origins = new Set(options.allowedOrigins.map((o) => normalizeOrigin(o) ?? o.toLowerCase()))
    this.#hosts = new Set(options.allowedHosts.map((h) => hostName(h)))
  }

  /** The error to answer with (403), or `undefined` when the request may go on. */
  refuse(headers: IncomingHttpHeaders): CodedError | undefined {
    const host = headers.host
    if (this.options.checkHost && host !== undefined && host !== '') {
      const name = hostName(host)
      if (!isLoopbackHost(name) && !this.#hosts.has(name)) return new HTTP_ERR_HOST_NOT_ALLOWED()
    }
    const origin = headers.origin
    if (origin !== undefined) {
      const normalized = normalizeOrigin(origin)
      if (normalized === undefined || !this.#origins.has(normalized)) return new HTTP_ERR_ORIGIN_NOT_ALLOWED()
    }
    return undefined
  }
}
