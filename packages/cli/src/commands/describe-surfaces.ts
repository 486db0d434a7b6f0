import type { Registries } from '@openclaw/core'

/** One programmatic surface of the gateway and the routes that serve it. */
export interface SurfaceStatus {
  readonly name: 'chat completions' | 'responses' | 'tools' | 'hooks' | 'rpc'
  readonly on: boolean
  /** `METHOD /path` of each route, or the WebSocket path(s) for `rpc`. */
  readonly routes: readonly string[]
}

/**
 * Which surfaces a gateway serves, read from what the plugins registered: route keys are
 * `METHOD /path`, upgrades are keyed by path. The hooks path is configurable (`hooks.path`).
 */
export function describeSurfaces(registry: Pick<Registries, 'httpRoutes' | 'httpUpgrades'>, hooksPath = '/hooks'): SurfaceStatus[] {
  const routes = registry.httpRoutes.keys()
  const pathOf = (key: string) => key.slice(key.indexOf(' ') + 1)
  const hooksPrefix = `${hooksPath.replace(/\/+$/, '')}/`
  const matching = (test: (path: string) => boolean) => routes.filter((key) => test(pathOf(key)))
  const upgrades = registry.httpUpgrades.keys().map((path) => `WS ${path}`)
  const surfaces: [SurfaceStatus['name'], readonly string[]][] = [
    ['chat completions', matching((p) => p === '/v1/chat/completions')],
    ['responses', matching((p) => p === '/v1/responses')],
    ['tools', matching((p) => p === '/tools/invoke')],
    ['hooks', matching((p) => p.startsWith(hooksPrefix) || p === hooksPath)],
    ['rpc', upgrades],
  ]
  return surfaces.map(([name, found]) => ({ name, on: found.length > 0, routes: found }))
}
