import { z } from 'zod'
import { timerMs } from '@openclaw/plugin-sdk/config'

export const DEFAULT_PORT = 18789
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/**
 * `gateway` in the config file. The section is shared: `gateway.tools` belongs to the tools plugin
 * and `gateway.http.endpoints` to the OpenAI plugin, so those levels stay open (loose).
 */
export const HttpServerConfigSchema = z.looseObject({
  /** 0 picks a free port (tests). */
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
  /** `loopback` (127.0.0.1), `lan` (0.0.0.0), or a host name or IP address to listen on. */
  bind: z.string().min(1).default('loopback'),
  auth: z
    .strictObject({
      /** `token` (default), `password`, or `none` (loopback only). */
      mode: z.enum(['token', 'password', 'none']).default('token'),
      /** Falls back to OPENCLAW_GATEWAY_TOKEN, then to a token generated into `<stateDir>/gateway.token`. */
      token: z.string().min(1).optional(),
      /** Falls back to OPENCLAW_GATEWAY_PASSWORD. */
      password: z.string().min(1).optional(),
    })
    .prefault({}),
  http: z
    .looseObject({
      /** Largest request body a route accepts unless it sets its own `bodyLimit`. */
      maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
      /** A client must send its request headers within this long, else 408 and the connection closes. */
      headersTimeoutMs: timerMs().positive().default(15_000),
      /** …and its whole request, body included (slow uploads of large bodies need more). */
      requestTimeoutMs: timerMs().positive().default(60_000),
      /** Owned by the plugins that serve the endpoints (e.g. `chatCompletions`, `responses`). */
      endpoints: z.looseObject({}).prefault({}),
    })
    .prefault({}),
  /** Host names (besides localhost, 127.x.x.x and ::1) a loopback-bound gateway answers to, e.g. behind a local reverse proxy that keeps `Host`. */
  allowedHosts: z.array(z.string().min(1)).default([]),
  /** OpenClaw's key: browser origins allowed to call the gateway (HTTP and WebSocket). Any other `Origin` is refused. */
  controlUi: z
    .looseObject({
      allowedOrigins: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** Failed authentications per client IP before it is locked out. */
  authRateLimit: z
    .strictObject({
      maxFailures: z.number().int().positive().default(10),
      windowMs: z.number().int().positive().default(60_000),
      lockoutMs: z.number().int().positive().default(60_000),
      /** Each failure is answered this much later per failure so far (capped at 1 s); 0 answers at once. */
      failureDelayMs: z.number().int().min(0).max(1000).default(100),
    })
    .prefault({}),
  /** How long `stop()` lets in-flight requests finish before closing their connections. */
  shutdownTimeoutMs: timerMs().min(0).default(10_000),
})

export type HttpServerConfig = z.output<typeof HttpServerConfigSchema>
export type HttpServerConfigInput = z.input<typeof HttpServerConfigSchema>
