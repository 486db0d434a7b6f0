// Test support, not exported: call a registered RPC method in process, with its params validated as
// the RPC server validates them.
import type { Gateway } from '@openclaw/core'

/* eslint-disable @typescript-eslint/no-explicit-any -- answers are JSON of many shapes; tests read them loosely */
export async function callMethod(gateway: Pick<Gateway, 'registry'>, name: string, params: unknown = {}): Promise<any> {
  const method = gateway.registry.rpcMethods.get(name)
  if (!method) throw new Error(`no method ${name}`)
  const parsed = method.params ? method.params.parse(params) : params
  const ctx = { requestId: '1', connId: 'test', client: { id: 'test', version: '1', mode: 'test' }, signal: new AbortController().signal, emit: () => {} }
  return method.handler(parsed, ctx)
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Let queued promise work (store queries, run settlement) finish. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve))
}
