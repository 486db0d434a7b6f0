import type { Registries } from '@openclaw/core'

/**
 * `on`: served. `off`: nothing registered it. `failed`: a plugin registered its routes but then
 * failed to start, so they answer 503 (listing it as on would hide the failure).
 */
export type SurfaceState = 'on' | 'off' | 'failed'

/** One programmatic surface of the gateway and the routes that serve it. */
export interface SurfaceStatus {
  readonly name: 'chat completions' | 'responses' | 'tools' | 'hooks' | 'rpc'
  readonly state: SurfaceState
  /** `METHOD /path` of each route, or the WebSocket path(s) for `rpc`. */
  readonly routes: readonly string[]
  /** The plugins owning these routes that failed (empty unless `failed`). */
  readonly failedPlugins: readonly string[]
}

/**
 * Which surfaces a gateway serves, read from what the plugins registered: route keys are
 * `METHOD /path`, upgrades are keyed by path. The hooks path is configurable (`hooks.path`).
 * A surface is `failed` when a plugin owning one of its routes is in `failedPlugins`.
 */
export function describeSurfaces(
  registry: Pick<Registries, 'httpRoutes' | 'httpUpgrades'>,
  hooksPath = '/hooks',
  failedPlugins: ReadonlySet<string> = new Set(),
): SurfaceStatus[] {
  const routes = registry.httpRoutes.keys()
  const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1)
  const hooksPrefix = `${hooksPath.replace(/\/+$/, '')}/`
  const matching = (test: (path: string) => boolean) => routes.filter((key) => test(pathOf(key))).map((key) => ({ label: key, owner: registry.httpRoutes.owner(key) }))
  const upgrades = registry.httpUpgrades.keys().map((path) => ({ label: `WS ${path}`, owner: registry.httpUpgrades.owner(path) }))
  const surfaces: [SurfaceStatus['name'], { label: string; owner: string | undefined }[]][] = [
    ['chat completions', matching((p) => p === '/v1/chat/completions')],
    ['responses', matching((p) => p === '/v1/responses')],
    ['tools', matching((p) => p === '/tools/invoke')],
    ['hooks', matching((p) => p.startsWith(hooksPrefix) || p === hooksPath)],
    ['rpc', upgrades],
  ]
  return surfaces.map(([name, found]) => {
    const failed = [...new Set(found.map((r) => r.owner).filter((owner): owner is string => owner !== undefined && failedPlugins.has(owner)))]
    const state: SurfaceState = found.length === 0 ? 'off' : failed.length > 0 ? 'failed' : 'on'
    return { name, state, routes: found.map((r) => r.label), failedPlugins: failed }
  })
}
