import type { HttpRouteDefinition } from '@openclaw/plugin-sdk'
import type { ChannelAccountStatus } from '@openclaw/plugin-sdk/channels'

export interface ProbeState {
  /** True once every required plugin has started (`api.gateway.isReady()`). */
  isReady(): boolean
  /** True once the gateway has begun to stop. */
  isDraining(): boolean
  /** Every channel account's liveness (for `/readyz?deep=1`). */
  channels(): readonly ChannelAccountStatus[]
}

const LIVE = Object.freeze({ ok: true, status: 'live' })
const READY = Object.freeze({ ok: true, status: 'ready' })
const STARTING = Object.freeze({ ok: false, status: 'starting' })
const DRAINING = Object.freeze({ ok: false, status: 'draining' })

/**
 * Liveness and readiness probes, unauthenticated, GET and HEAD: `/healthz` (alias `/health`) and
 * `/readyz` (alias `/ready`). They are answered while the gateway starts and stops, too.
 */
export function createProbeRoutes(state: ProbeState): HttpRouteDefinition[] {
  const live: HttpRouteDefinition['handler'] = (_request, reply) => reply.header('cache-control', 'no-store').send(LIVE)
  const ready: HttpRouteDefinition['handler'] = (request, reply) => {
    reply.header('cache-control', 'no-store')
    if (state.isDraining()) return reply.code(503).send(DRAINING)
    if (!state.isReady()) return reply.code(503).send(STARTING)
    // Deep readiness: every channel account must be making progress (a stuck poller is not ready).
    const query = request.query as Record<string, unknown> | undefined
    if (query?.deep === undefined) return reply.send(READY)
    const channels = state.channels().map((c) => ({ channel: c.channel, accountId: c.accountId, state: c.state, healthy: c.healthy }))
    return channels.every((c) => c.healthy) ? reply.send({ ...READY, channels }) : reply.code(503).send({ ok: false, status: 'degraded', channels })
  }
  const methods = ['GET', 'HEAD'] as const
  return [
    { method: methods, path: '/healthz', auth: 'none', handler: live },
    { method: methods, path: '/health', auth: 'none', handler: live },
    { method: methods, path: '/readyz', auth: 'none', handler: ready },
    { method: methods, path: '/ready', auth: 'none', handler: ready },
  ]
}
