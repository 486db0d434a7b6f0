import type { HttpRouteDefinition } from '@openclaw/plugin-sdk'

export interface ProbeState {
  /** True once every required plugin has started (`api.gateway.isReady()`). */
  isReady(): boolean
  /** True once the gateway has begun to stop. */
  isDraining(): boolean
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
  const ready: HttpRouteDefinition['handler'] = (_request, reply) => {
    reply.header('cache-control', 'no-store')
    if (state.isDraining()) return reply.code(503).send(DRAINING)
    return state.isReady() ? reply.send(READY) : reply.code(503).send(STARTING)
  }
  const methods = ['GET', 'HEAD'] as const
  return [
    { method: methods, path: '/healthz', auth: 'none', handler: live },
    { method: methods, path: '/health', auth: 'none', handler: live },
    { method: methods, path: '/readyz', auth: 'none', handler: ready },
    { method: methods, path: '/ready', auth: 'none', handler: ready },
  ]
}
