import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as codes from './errors.js'
import { toRpcError } from './to-rpc-error.js'

const docs = readFileSync(new URL('../../../docs/rpc.md', import.meta.url), 'utf8')
/** Rows of the error table: `| \`RPC_ERR_X\` | \`PROTOCOL_CODE\` | … |`. */
const documented = new Map([...docs.matchAll(/^\| `(RPC_ERR_[A-Z_]+)` \| `([A-Z_]+)` \|/gm)].map((m) => [m[1]!, m[2]!]))

describe('rpc error codes', () => {
  it('should name every error after its code', () => {
    for (const [key, ctor] of Object.entries(codes)) expect(ctor.code).toBe(key)
  })

  it('should document every code in docs/rpc.md, and no code that does not exist', () => {
    const defined = new Set(Object.keys(codes))
    expect([...defined].filter((c) => !documented.has(c))).toEqual([])
    expect([...documented.keys()].filter((c) => !defined.has(c))).toEqual([])
  })

  it('should document the protocol code each one reaches clients as', () => {
    const samples: Record<string, Error> = {
      RPC_ERR_INVALID_FRAME: new codes.RPC_ERR_INVALID_FRAME('x'),
      RPC_ERR_HANDSHAKE_REQUIRED: new codes.RPC_ERR_HANDSHAKE_REQUIRED('x'),
      RPC_ERR_ALREADY_CONNECTED: new codes.RPC_ERR_ALREADY_CONNECTED(),
      RPC_ERR_PROTOCOL_MISMATCH: new codes.RPC_ERR_PROTOCOL_MISMATCH(1, 2, 4),
      RPC_ERR_AUTH_MISSING: new codes.RPC_ERR_AUTH_MISSING('token'),
      RPC_ERR_AUTH_MISMATCH: new codes.RPC_ERR_AUTH_MISMATCH('token'),
      RPC_ERR_AUTH_RATE_LIMITED: new codes.RPC_ERR_AUTH_RATE_LIMITED(),
      RPC_ERR_METHOD_UNKNOWN: new codes.RPC_ERR_METHOD_UNKNOWN('x'),
      RPC_ERR_INVALID_PARAMS: new codes.RPC_ERR_INVALID_PARAMS('x', 'y'),
      RPC_ERR_METHOD_TIMEOUT: new codes.RPC_ERR_METHOD_TIMEOUT('x', 1),
      RPC_ERR_INTERNAL: new codes.RPC_ERR_INTERNAL(),
      RPC_ERR_RUN_UNKNOWN: new codes.RPC_ERR_RUN_UNKNOWN('x'),
      RPC_ERR_RUN_SESSION_MISMATCH: new codes.RPC_ERR_RUN_SESSION_MISMATCH('x', 'y'),
      RPC_ERR_SESSION_NOT_FOUND: new codes.RPC_ERR_SESSION_NOT_FOUND('x'),
      RPC_ERR_CHANNEL_INVALID: new codes.RPC_ERR_CHANNEL_INVALID('x'),
      RPC_ERR_DELIVERY_TARGET: new codes.RPC_ERR_DELIVERY_TARGET('x'),
      RPC_ERR_MESSAGE_EMPTY: new codes.RPC_ERR_MESSAGE_EMPTY(),
      RPC_ERR_SEND_FAILED: new codes.RPC_ERR_SEND_FAILED('x', 'y'),
      RPC_ERR_TOOL_NAME_MISSING: new codes.RPC_ERR_TOOL_NAME_MISSING(),
      RPC_ERR_ACTION_UNSUPPORTED: new codes.RPC_ERR_ACTION_UNSUPPORTED('x', 'send'),
      RPC_ERR_ACTION_PARAMS: new codes.RPC_ERR_ACTION_PARAMS('send', 'params.x', 'y'),
    }
    expect(Object.keys(samples).sort()).toEqual(Object.keys(codes).sort())
    for (const [code, err] of Object.entries(samples)) expect([code, toRpcError(err).error.code]).toEqual([code, documented.get(code)])
  })
})
