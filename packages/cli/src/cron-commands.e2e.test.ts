import cron from '@openclaw/plugin-cron'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// Test support of a sibling package, by path (as the cron replica test does).
import { startRpcGateway, TEST_TOKEN, type RpcTestGateway } from '../../../plugins/rpc/test/start-rpc-gateway.js'
import { captureIo } from './capture-io.js'
import { runCli } from './run-cli.js'

// `openclaw cron add|edit` with the schedule's stagger flags and the failure-alert flags, against a
// real gateway (in process, on a socket on 127.0.0.1) serving cron.* over the WebSocket RPC.

let rpc: RpcTestGateway
beforeAll(async () => {
  rpc = await startRpcGateway({ plugins: [cron()] })
}, 30_000)
afterAll(() => rpc?.close())

/* eslint-disable @typescript-eslint/no-explicit-any -- the CLI prints the gateway's JSON */
async function cli(...args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  const { io, stdout, stderr } = captureIo()
  const code = await runCli(['node', 'openclaw', ...args, '--url', rpc.wsUrl, '--token', TEST_TOKEN], io)
  return { code, json: code === 0 ? JSON.parse(stdout()) : undefined, stderr: stderr() }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('openclaw cron: stagger and failure-alert flags', () => {
  it('should store the top-of-hour default stagger, --exact as 0 and --stagger as a window, also on edit', async () => {
    const hourly = await cli('cron', 'add', '--name', 'hourly', '--cron', '0 * * * *', '--tz', 'UTC', '--message', 'x')
    expect(hourly.json.schedule).toEqual({ kind: 'cron', expr: '0 * * * *', tz: 'UTC', staggerMs: 300_000 })
    const exact = await cli('cron', 'add', '--name', 'exact', '--cron', '0 * * * *', '--exact', '--message', 'x')
    expect(exact.json.schedule.staggerMs).toBe(0)
    expect((await cli('cron', 'edit', hourly.json.id, '--stagger', '30s')).json.schedule).toEqual({ kind: 'cron', expr: '0 * * * *', tz: 'UTC', staggerMs: 30_000 })
    expect((await cli('cron', 'edit', hourly.json.id, '--exact')).json.schedule.staggerMs).toBe(0)
    const every = await cli('cron', 'add', '--name', 'every', '--every', '1h', '--exact', '--message', 'x')
    expect([every.code, every.stderr]).toEqual([1, 'error: --stagger and --exact apply to --cron only\n'])
  })

  it('should set, merge and turn off a job\'s failure alert', async () => {
    const job = await cli('cron', 'add', '--name', 'alerting', '--every', '1h', '--message', 'x', '--failure-alert-after', '3', '--failure-alert-channel', 'telegram', '--failure-alert-to', '123')
    expect(job.json.failureAlert).toEqual({ after: 3, channel: 'telegram', to: '123' })
    const edited = await cli('cron', 'edit', job.json.id, '--failure-alert-cooldown', '10m', '--failure-alert-include-skipped')
    expect(edited.json.failureAlert).toEqual({ after: 3, channel: 'telegram', to: '123', cooldownMs: 600_000, includeSkipped: true })
    expect((await cli('cron', 'edit', job.json.id, '--no-failure-alert')).json.failureAlert).toBe(false)
    expect((await cli('cron', 'edit', job.json.id, '--failure-alert')).json.failureAlert).toEqual({})
    const both = await cli('cron', 'edit', job.json.id, '--no-failure-alert', '--failure-alert-after', '2')
    expect([both.code, both.stderr]).toEqual([1, 'error: give --no-failure-alert alone (without --failure-alert-* options)\n'])
  })
})
