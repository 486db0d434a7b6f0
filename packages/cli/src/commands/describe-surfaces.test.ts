import type { RegistryView } from '@openclaw/core'
import { describe, expect, it } from 'vitest'
import { describeSurfaces } from './describe-surfaces.js'

function view(keys: string[]): RegistryView<never> {
  return { keys: () => keys, get: () => undefined, has: (k) => keys.includes(k), owner: () => undefined, values: () => [] }
}

describe('describeSurfaces', () => {
  it('should report each surface on with its routes, from the route keys and upgrades', () => {
    const surfaces = describeSurfaces({
      httpRoutes: view(['GET /healthz', 'POST /v1/chat/completions', 'POST /v1/responses', 'POST /tools/invoke', 'POST /hooks/wake', 'POST /hooks/agent']),
      httpUpgrades: view(['/rpc']),
    })
    expect(surfaces).toEqual([
      { name: 'chat completions', on: true, routes: ['POST /v1/chat/completions'] },
      { name: 'responses', on: true, routes: ['POST /v1/responses'] },
      { name: 'tools', on: true, routes: ['POST /tools/invoke'] },
      { name: 'hooks', on: true, routes: ['POST /hooks/wake', 'POST /hooks/agent'] },
      { name: 'rpc', on: true, routes: ['WS /rpc'] },
    ])
  })

  it('should report surfaces off when nothing serves them', () => {
    const surfaces = describeSurfaces({ httpRoutes: view(['GET /healthz']), httpUpgrades: view([]) })
    expect(surfaces.every((s) => !s.on && s.routes.length === 0)).toBe(true)
  })

  it('should find hooks under a configured hooks.path', () => {
    const surfaces = describeSurfaces({ httpRoutes: view(['POST /in/wake', 'POST /hooks-not/x']), httpUpgrades: view([]) }, '/in/')
    expect(surfaces.find((s) => s.name === 'hooks')).toEqual({ name: 'hooks', on: true, routes: ['POST /in/wake'] })
  })
})
