import type { GatewayAuth, RouteRequest } from '@openclaw/plugin-sdk'
import { isLoopbackHost } from './bind-host.js'
import { parseBearer } from './parse-bearer.js'

/** Headers a proxy adds: a request carrying one came through a proxy, so its loopback peer says nothing of the client. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const

/** A caller on this host talking to the socket directly: a loopback peer, and no proxy in between. */
export function isLocalDirectCaller(request: RouteRequest): boolean {
  return isLoopbackHost(request.ip) && FORWARDING_HEADERS.every((name) => request.headers[name] === undefined)
}

/**
 * Whether a probe caller may see the probes' details (OpenClaw's rule): a local direct caller, or one
 * that presents the gateway credential. The credential goes through `GatewayAuth.verify`, so a wrong
 * one counts toward the lockout and is answered after its delay, as on every route: the probes are no
 * way around the lockout. In `none` mode only local callers see details.
 */
export async function probeShowsDetails(auth: GatewayAuth, request: RouteRequest): Promise<boolean> {
  if (isLocalDirectCaller(request)) return true
  if (auth.mode === 'none') return false
  const presented = parseBearer(request.headers.authorization)
  if (presented === undefined) return false
  const verdict = auth.verify(request.ip, presented)
  if (verdict.ok) return true
  if (verdict.reason === 'mismatch' && verdict.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, verdict.delayMs))
  return false
}
