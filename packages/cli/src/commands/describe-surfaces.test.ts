import type { RegistryView } from '@openclaw/core'
import { describe, expect, it } from 'vitest'
import { describeSurfaces } from './describe-surfaces.js'

/** A registry view over `key → owning plugin`. */
function view(owners: Record<string, string> | string[]): RegistryView<never> {
  const map: Record<string, string | undefined> = Array.isArray(owners) ? Object.fromEntries(owners.map((k) => [k, undefined])) : owners
  const keys = Object.keys(map)
  return { keys: () => keys, get: () => undefined, has: (k) => keys.includes(k), owner: (k) => map[k], values: () => [] }
}

describe('describeSurfaces', () => {
  it('should report each surface on with its routes, from the route keys and upgrades', () => {
    const surfaces = describeSurfaces({
      httpRoutes: view(['GET /healthz', 'POST /v1/chat/completions', 'POST /v1/responses', 'POST /tools/invoke', 'POST /hooks/wake', 'POST /hooks/agent']),
      httpUpgrades: view(['/rpc']),
    })
    expect(surfaces).toEqual([
      { name: 'chat completions', state: 'on', routes: ['POST /v1/chat/completions'], failedPlugins: [] },
      { name: 'responses', state: 'on', routes: ['POST /v1/responses'], failedPlugins: [] },
      { name: 'tools', state: 'on', routes: ['POST /tools/invoke'], failedPlugins: [] },
      { name: 'hooks', state: 'on', routes: ['POST /hooks/wake', 'POST /hooks/agent'], failedPlugins: [] },
      { name: 'rpc', state: 'on', routes: ['WS /rpc'], failedPlugins: [] },
    ])
  })

  it('should report surfaces off when nothing serves them', () => {
    const surfaces = describeSurfaces({ httpRoutes: view(['GET /healthz']), httpUpgrades: view([]) })
    expect(surfaces.every((s) => s.state === 'off' && s.routes.length === 0)).toBe(true)
  })

  it('should report a surface failed, not on, when the plugin owning its routes failed', () => {
    const surfaces = describeSurfaces(
      {
        httpRoutes: view({ 'GET /healthz': 'core:http', 'POST /tools/invoke': 'http:tools', 'POST /hooks/wake': 'http:hooks', 'POST /hooks/agent': 'http:hooks' }),
        httpUpgrades: view({ '/': 'rpc' }),
      },
      '/hooks',
      new Set(['http:hooks']),
    )
    expect(surfaces.find((s) => s.name === 'hooks')).toEqual({ name: 'hooks', state: 'failed', routes: ['POST /hooks/wake', 'POST /hooks/agent'], failedPlugins: ['http:hooks'] })
    expect(surfaces.find((s) => s.name === 'tools')?.state).toBe('on')
    expect(surfaces.find((s) => s.name === 'rpc')?.state).toBe('on')
  })

  it('should find hooks under a configured hooks.path', () => {
    const surfaces = describeSurfaces({ httpRoutes: view(['POST /in/wake', 'POST /hooks-not/x']), httpUpgrades: view([]) }, '/in/')
    expect(surfaces.find((s) => s.name === 'hooks')).toEqual({ name: 'hooks', state: 'on', routes: ['POST /in/wake'], failedPlugins: [] })
  })
})
