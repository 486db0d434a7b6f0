import type { HttpRouteDefinition, RouteRequest } from '@openclaw/plugin-sdk'
import type { ChannelAccountStatus } from '@openclaw/plugin-sdk/channels'
import type { EventLoopHealth } from './event-loop-monitor.js'

export interface ProbeState {
  /** True once every required plugin has started (`api.gateway.isReady()`). */
  isReady(): boolean
  /** True once the gateway has begun to stop. */
  isDraining(): boolean
  /**
   * Whether this caller may see the details: a local caller (loopback peer, no forwarding header),
   * or one presenting the gateway credential (checked and counted like on any route).
   */
  showsDetails(request: RouteRequest): Promise<boolean>
  readonly version: string
  /** Milliseconds since the gateway began to start. */
  uptimeMs(): number
  /** Plugins that failed to start but are not required (the gateway runs without them). */
  failedPlugins(): string[]
  eventLoop(): EventLoopHealth | undefined
  /** Every channel account's liveness, for deep readiness (`/readyz?deep=1`). */
  channels(): readonly ChannelAccountStatus[]
}

type Phase = 'live' | 'started' | 'ready' | 'starting' | 'draining' | 'degraded'

/** Why the gateway is not ready yet, as OpenClaw's `pendingReason` / `failing` say it. */
const PENDING_REASON = 'startup-plugins'
const DRAINING_REASON = 'gateway-draining'

/**
 * Liveness, startup and readiness probes, unauthenticated, GET and HEAD: `/healthz` (alias
 * `/health`), `/startupz` (`/startup`) and `/readyz` (`/ready`). Answered while the gateway starts and
 * stops too. Everyone gets `ok` and `status`; local and authenticated callers also get the version,
 * uptime, readiness details and the event-loop block (OpenClaw's rule). Nothing else leaks.
 */
export function createProbeRoutes(state: ProbeState): HttpRouteDefinition[] {
  const phase = (): Phase => (state.isDraining() ? 'draining' : state.isReady() ? 'started' : 'starting')

  const details = (status: Phase, extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const eventLoop = state.eventLoop()
    return { version: state.version, uptimeMs: state.uptimeMs(), ...(status === 'starting' ? { pendingReason: PENDING_REASON } : {}), ...extra, ...(eventLoop ? { eventLoop } : {}) }
  }

  const probe = (answer: (request: RouteRequest) => { code: number; status: Phase; ok: boolean; extra?: () => Record<string, unknown> }): HttpRouteDefinition['handler'] =>
    async (request, reply) => {
      const { code, status, ok, extra } = answer(request)
      reply.header('cache-control', 'no-store').code(code)
      if (!(await state.showsDetails(request))) return reply.send({ ok, status })
      return reply.send({ ok, status, ...details(status, extra?.()) })
    }

  const live = probe(() => ({ code: 200, status: 'live', ok: true }))
  const startup = probe(() => {
    const status = phase()
    return { code: status === 'started' ? 200 : 503, status, ok: status === 'started' }
  })
  const ready = probe((request) => {
    let status: Phase = phase() === 'started' ? 'ready' : phase()
    const failedPlugins = state.failedPlugins()
    const failing = status === 'starting' ? [PENDING_REASON] : status === 'draining' ? [DRAINING_REASON] : []
    // Deep readiness: every channel account must be making progress (a stuck poller is not ready).
    const deep = (request.query as Record<string, unknown> | undefined)?.deep !== undefined
    const channels = deep ? state.channels().map((c) => ({ channel: c.channel, accountId: c.accountId, state: c.state, healthy: c.healthy })) : undefined
    if (status === 'ready' && channels?.some((c) => !c.healthy)) {
      status = 'degraded'
      failing.push('channels')
    }
    return {
      code: status === 'ready' ? 200 : 503,
      status,
      ok: status === 'ready',
      extra: () => ({ ready: status === 'ready', failing, ...(failedPlugins.length > 0 ? { failedPlugins } : {}), ...(channels ? { channels } : {}) }),
    }
  })
  const methods = ['GET', 'HEAD'] as const
  return [
    { method: methods, path: '/healthz', auth: 'none', handler: live },
    { method: methods, path: '/health', auth: 'none', handler: live },
    { method: methods, path: '/startupz', auth: 'none', handler: startup },
    { method: methods, path: '/startup', auth: 'none', handler: startup },
    { method: methods, path: '/readyz', auth: 'none', handler: ready },
    { method: methods, path: '/ready', auth: 'none', handler: ready },
  ]
}
