import type { GatewayAuth, RouteRequest } from '@openclaw/plugin-sdk'
import { describe, expect, it } from 'vitest'
import { isLocalDirectCaller, probeShowsDetails } from './probe-caller.js'

function request(ip: string, headers: Record<string, string> = {}): RouteRequest {
  return { id: 'r1', method: 'GET', url: '/readyz', headers, body: undefined, params: {}, query: {}, ip, raw: undefined as never }
}

/** A credential check that accepts `good` and counts what it is shown. */
function auth(mode: GatewayAuth['mode'] = 'token'): GatewayAuth & { seen: (string | undefined)[] } {
  const seen: (string | undefined)[] = []
  return {
    mode,
    seen,
    matches: (presented) => presented === 'good',
    verify: (_client, presented) => (seen.push(presented), presented === 'good' ? { ok: true } : { ok: false, reason: 'mismatch', delayMs: 0 }),
    credentialSource: () => undefined,
  }
}

describe('probe callers', () => {
  it('should treat a loopback peer without forwarding headers as local, and nothing else', () => {
    expect(isLocalDirectCaller(request('127.0.0.1'))).toBe(true)
    expect(isLocalDirectCaller(request('::1'))).toBe(true)
    expect(isLocalDirectCaller(request('::ffff:127.0.0.1'))).toBe(true)
    expect(isLocalDirectCaller(request('203.0.113.7'))).toBe(false)
    expect(isLocalDirectCaller(request('10.0.0.2'))).toBe(false)
    for (const header of ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip']) expect(isLocalDirectCaller(request('127.0.0.1', { [header]: 'x' }))).toBe(false)
  })

  it('should show a remote caller details only with the gateway credential, checked through GatewayAuth.verify', async () => {
    const check = auth()
    expect(await probeShowsDetails(check, request('203.0.113.7'))).toBe(false)
    expect(await probeShowsDetails(check, request('203.0.113.7', { authorization: 'Bearer bad' }))).toBe(false)
    expect(await probeShowsDetails(check, request('203.0.113.7', { authorization: 'Bearer good' }))).toBe(true)
    expect(check.seen).toEqual(['bad', 'good'])
  })

  it('should never show a remote caller details in auth mode none', async () => {
    expect(await probeShowsDetails(auth('none'), request('203.0.113.7', { authorization: 'Bearer good' }))).toBe(false)
    expect(await probeShowsDetails(auth('none'), request('127.0.0.1'))).toBe(true)
  })
})
