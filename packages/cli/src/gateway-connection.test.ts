import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GATEWAY_TOKEN_FILE } from '@openclaw/plugin-http-server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveGatewayConnection } from './gateway-connection.js'

let dir: string
let configPath: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-connection-'))
  configPath = join(dir, 'openclaw.json')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const writeConfig = (gateway: object) => writeFileSync(configPath, JSON.stringify({ gateway }))
const GENERATED = 'generated-token-0123456789abcdef'

describe('resolveGatewayConnection', () => {
  it('should take --url and --token first, without reading the config', () => {
    const connection = resolveGatewayConnection(
      { url: 'ws://gw.example:1234', token: 'flag-token', config: join(dir, 'missing.json') },
      { OPENCLAW_GATEWAY_URL: 'ws://env:1', OPENCLAW_GATEWAY_TOKEN: 'env-token' },
    )
    expect(connection).toEqual({ url: 'ws://gw.example:1234', urlSource: '--url', credential: { kind: 'token', value: 'flag-token', source: '--token' } })
  })

  it('should take OPENCLAW_GATEWAY_URL and OPENCLAW_GATEWAY_TOKEN over the config', () => {
    writeConfig({ port: 5555, auth: { token: 'config-token' } })
    const connection = resolveGatewayConnection({ config: configPath, stateDir: dir }, { OPENCLAW_GATEWAY_URL: 'http://env.example:7777/', OPENCLAW_GATEWAY_TOKEN: 'env-token' })
    expect(connection).toEqual({ url: 'ws://env.example:7777', urlSource: 'OPENCLAW_GATEWAY_URL', credential: { kind: 'token', value: 'env-token', source: 'OPENCLAW_GATEWAY_TOKEN' } })
  })

  it('should send --password, or OPENCLAW_GATEWAY_PASSWORD, as a password', () => {
    expect(resolveGatewayConnection({ url: 'ws://x:1', password: 'pw' }, {}).credential).toEqual({ kind: 'password', value: 'pw', source: '--password' })
    expect(resolveGatewayConnection({ url: 'ws://x:1' }, { OPENCLAW_GATEWAY_PASSWORD: 'envpw' }).credential).toEqual({ kind: 'password', value: 'envpw', source: 'OPENCLAW_GATEWAY_PASSWORD' })
  })

  it('should build the URL from gateway.port and gateway.bind, and take gateway.auth.token', () => {
    writeConfig({ port: 5555, bind: 'lan', auth: { token: 'config-token' } })
    const connection = resolveGatewayConnection({ config: configPath, stateDir: dir }, {})
    expect(connection).toEqual({
      url: 'ws://127.0.0.1:5555',
      urlSource: `gateway.port in ${configPath}`,
      credential: { kind: 'token', value: 'config-token', source: `gateway.auth.token in ${configPath}` },
    })
  })

  it('should connect to a custom bind host, and let OPENCLAW_GATEWAY_PORT win over gateway.port', () => {
    writeConfig({ port: 5555, bind: '10.1.2.3' })
    expect(resolveGatewayConnection({ config: configPath, stateDir: dir }, { OPENCLAW_GATEWAY_PORT: '6666' })).toMatchObject({ url: 'ws://10.1.2.3:6666', urlSource: 'OPENCLAW_GATEWAY_PORT' })
  })

  it('should fall back to port 18789 on loopback and the generated token file', () => {
    writeFileSync(join(dir, GATEWAY_TOKEN_FILE), `${GENERATED}\n`, { mode: 0o600 })
    const connection = resolveGatewayConnection({ stateDir: dir }, {})
    expect(connection).toEqual({ url: 'ws://127.0.0.1:18789', urlSource: 'the default port', credential: { kind: 'token', value: GENERATED, source: join(dir, GATEWAY_TOKEN_FILE) } })
  })

  it('should take gateway.auth.password in password mode, and nothing in none mode', () => {
    writeFileSync(join(dir, GATEWAY_TOKEN_FILE), `${GENERATED}\n`, { mode: 0o600 })
    writeConfig({ auth: { mode: 'password', password: 'config-pw' } })
    expect(resolveGatewayConnection({ config: configPath, stateDir: dir }, {}).credential).toEqual({ kind: 'password', value: 'config-pw', source: `gateway.auth.password in ${configPath}` })
    writeConfig({ auth: { mode: 'none' } })
    expect(resolveGatewayConnection({ config: configPath, stateDir: dir }, {}).credential).toBeUndefined()
  })

  it('should let the local mode choose when both OPENCLAW_GATEWAY_TOKEN and OPENCLAW_GATEWAY_PASSWORD are set', () => {
    writeConfig({ auth: { mode: 'password' } })
    const env = { OPENCLAW_GATEWAY_TOKEN: 't', OPENCLAW_GATEWAY_PASSWORD: 'p' }
    expect(resolveGatewayConnection({ url: 'ws://x:1', config: configPath, stateDir: dir }, env).credential).toEqual({ kind: 'password', value: 'p', source: 'OPENCLAW_GATEWAY_PASSWORD' })
  })

  it('should refuse an OPENCLAW_GATEWAY_URL that is not a ws(s) or http(s) URL', () => {
    expect(() => resolveGatewayConnection({ token: 't' }, { OPENCLAW_GATEWAY_URL: 'ftp://x' })).toThrow(expect.objectContaining({ code: 'CLI_ERR_GATEWAY_URL_INVALID' }))
    // A credential in the URL is refused, and not repeated in the message.
    for (const url of ['ws://user:s3cret@gw:1', 'ws://gw:1/?token=s3cret']) {
      const error = (() => {
        try {
          resolveGatewayConnection({ token: 't' }, { OPENCLAW_GATEWAY_URL: url })
        } catch (e) {
          return e as Error
        }
      })()
      expect(error).toMatchObject({ code: 'CLI_ERR_GATEWAY_URL_INVALID' })
      expect(error!.message).not.toContain('s3cret')
    }
  })
})
