import type { CliIo } from '../cli-io.js'
import { CliExit } from '../cli-exit.js'
import { EXIT_FAILURE } from '../exit-codes.js'
import { formatTable } from '../format-table.js'
import { formatTimestamp } from '../format-timestamp.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import type { GatewayClient } from '../gateway-client.js'
import { withGateway } from '../with-gateway.js'

/* eslint-disable @typescript-eslint/no-explicit-any -- job and run rows are the gateway's JSON */
type Options = GatewayConnectionOptions & Record<string, any>

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

function durationMs(text: string, flag: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)]
  if (/^\d+$/.test(text.trim())) return Number(text)
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) throw usage(`${flag} expects a duration such as 30s, 10m, 1h`)
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit!]!, 0))
}

class UsageError extends Error {}
const usage = (message: string) => new UsageError(message)

function scheduleOf(o: Options): Record<string, unknown> | undefined {
  const given = ['at', 'every', 'cron'].filter((k) => o[k] !== undefined)
  if (given.length > 1) throw usage('give one of --at, --every, --cron')
  if (o.tz !== undefined && o.every !== undefined) throw usage('--tz does not apply to --every')
  if (o.tz !== undefined && o.at !== undefined) throw usage('--tz applies to --cron; give --at with an offset (2027-02-01T16:00:00+01:00)')
  if ((o.stagger !== undefined || o.exact) && (o.at !== undefined || o.every !== undefined)) throw usage('--stagger and --exact apply to --cron only')
  if (o.at !== undefined) return { kind: 'at', at: o.at }
  if (o.every !== undefined) return { kind: 'every', everyMs: durationMs(o.every, '--every') }
  if (o.cron !== undefined) {
    const staggerMs = staggerOf(o)
    return { kind: 'cron', expr: o.cron, ...(o.tz ? { tz: o.tz } : {}), ...(staggerMs !== undefined ? { staggerMs } : {}) }
  }
  return undefined
}

/** `--exact` is `staggerMs: 0`; `--stagger <duration>` the window. */
function staggerOf(o: Options): number | undefined {
  if (o.stagger !== undefined && o.exact) throw usage('give one of --stagger, --exact')
  if (o.exact) return 0
  return o.stagger !== undefined ? durationMs(o.stagger, '--stagger') : undefined
}

/** `--failure-alert*`: `false` with `--no-failure-alert`, else the settings given (an empty object with `--failure-alert` alone). */
function failureAlertOf(o: Options): Record<string, unknown> | false | undefined {
  const fields: Record<string, unknown> = {
    ...(o.failureAlertAfter !== undefined ? { after: o.failureAlertAfter } : {}),
    ...(o.failureAlertChannel !== undefined ? { channel: o.failureAlertChannel } : {}),
    ...(o.failureAlertTo !== undefined ? { to: o.failureAlertTo } : {}),
    ...(o.failureAlertCooldown !== undefined ? { cooldownMs: durationMs(o.failureAlertCooldown, '--failure-alert-cooldown') } : {}),
    ...(o.failureAlertIncludeSkipped ? { includeSkipped: true } : o.failureAlertExcludeSkipped ? { includeSkipped: false } : {}),
    ...(o.failureAlertMode !== undefined ? { mode: o.failureAlertMode } : {}),
    ...(o.failureAlertAccountId !== undefined ? { accountId: o.failureAlertAccountId } : {}),
  }
  if (o.failureAlert === false) {
    if (Object.keys(fields).length > 0) throw usage('give --no-failure-alert alone (without --failure-alert-* options)')
    return false
  }
  return o.failureAlert === true || Object.keys(fields).length > 0 ? fields : undefined
}

function payloadOf(o: Options): Record<string, unknown> | undefined {
  if (o.message !== undefined && o.systemEvent !== undefined) throw usage('give one of --message, --system-event')
  if (o.systemEvent !== undefined) return { kind: 'systemEvent', text: o.systemEvent }
  if (o.message !== undefined) {
    return {
      kind: 'agentTurn', message: o.message,
      ...(o.model ? { model: o.model } : {}), ...(o.thinking ? { thinking: o.thinking } : {}), ...(o.timeoutSeconds ? { timeoutSeconds: o.timeoutSeconds } : {}),
    }
  }
  return undefined
}

function deliveryOf(o: Options): Record<string, unknown> | undefined {
  const target = { ...(o.channel ? { channel: o.channel } : {}), ...(o.to ? { to: o.to } : {}), ...(o.threadId ? { threadId: o.threadId } : {}), ...(o.account ? { accountId: o.account } : {}), ...(o.bestEffortDeliver ? { bestEffort: true } : {}) }
  if (o.webhook !== undefined) return { mode: 'webhook', to: o.webhook, ...(o.bestEffortDeliver ? { bestEffort: true } : {}) }
  if (o.deliver === false) return { mode: 'none' }
  if (o.announce || o.deliver === true || o.channel || o.to) return { mode: 'announce', ...target }
  return undefined
}

/** The job fields the flags give (for add: all required ones; for edit: what changes). */
function jobFields(o: Options): Record<string, unknown> {
  const schedule = scheduleOf(o)
  const payload = payloadOf(o)
  const delivery = deliveryOf(o)
  const failureAlert = failureAlertOf(o)
  return {
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.description !== undefined ? { description: o.description } : {}),
    ...(o.agent !== undefined ? { agentId: o.agent } : {}),
    ...(schedule ? { schedule } : {}),
    ...(payload ? { payload } : {}),
    ...(o.session !== undefined ? { sessionTarget: o.session } : {}),
    ...(o.wake !== undefined ? { wakeMode: o.wake } : {}),
    ...(delivery ? { delivery } : {}),
    ...(failureAlert !== undefined ? { failureAlert } : {}),
    ...(o.deleteAfterRun ? { deleteAfterRun: true } : o.keepAfterRun ? { deleteAfterRun: false } : {}),
    ...(o.missed !== undefined ? { missedFires: { policy: o.missed, ...(o.maxLateness ? { maxLatenessMs: durationMs(o.maxLateness, '--max-lateness') } : {}) } } : {}),
  }
}

function formatJobs(answer: { jobs: any[] }): string {
  if (answer.jobs.length === 0) return 'No jobs.\n'
  const schedule = (s: any) => (s.kind === 'cron' ? `cron ${s.expr}${s.tz ? ` (${s.tz})` : ''}` : s.kind === 'every' ? `every ${s.everyMs / 1000}s` : `at ${s.at}`)
  const rows = answer.jobs.map((j) => [j.id, j.name, schedule(j.schedule), j.enabled ? 'yes' : 'no', formatTimestamp(j.state?.nextRunAtMs), j.state?.lastRunStatus ?? '', j.state?.autoDisabled?.reason ?? j.state?.lastError ?? ''])
  return formatTable(['ID', 'NAME', 'SCHEDULE', 'ENABLED', 'NEXT', 'LAST', 'NOTE'], rows)
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

async function waitForRun(client: GatewayClient, jobId: string, runId: string, o: Options): Promise<any> {
  const deadline = Date.now() + (o.waitTimeout ? durationMs(o.waitTimeout, '--wait-timeout') : 600_000)
  const every = o.pollInterval ? durationMs(o.pollInterval, '--poll-interval') : 2000
  for (;;) {
    const { entries } = await client.call<{ entries: any[] }>('cron.runs', { id: jobId, runId, limit: 1 })
    const row = entries[0]
    if (row && row.status !== 'running') return row
    if (Date.now() >= deadline) return { runId, status: 'running', timedOut: true }
    await new Promise((resolve) => setTimeout(resolve, every))
  }
}

/** `openclaw cron <name> …`: one cron.* call (two with `run --wait`), printed as JSON or a table. */
export async function runCronCommand(name: string, args: readonly string[], o: Options, io: CliIo): Promise<void> {
  let call: (client: GatewayClient) => Promise<unknown>
  try {
    const id = args[0]!
    switch (name) {
      case 'add': {
        const fields = jobFields(o)
        if (!fields.schedule) throw usage('give a schedule: --at, --every or --cron')
        if (!fields.payload) throw usage('give a payload: --message or --system-event')
        if (!fields.name) throw usage('give --name')
        call = (c) => c.call('cron.add', { ...fields, ...(o.disabled ? { enabled: false } : {}) })
        break
      }
      case 'list':
        call = (c) => c.call('cron.list', { ...(o.all ? { includeDisabled: true } : {}), ...(o.agent ? { agentId: o.agent } : {}) })
        break
      case 'get': call = (c) => c.call('cron.get', { id }); break
      case 'edit': {
        const fields = jobFields(o)
        const staggerMs = o.cron === undefined ? staggerOf(o) : undefined
        if (Object.keys(fields).length === 0 && staggerMs === undefined) throw usage('nothing to change: give the flags to change')
        call = async (c) => {
          // --stagger/--exact without --cron change the job's cron schedule as it is.
          if (staggerMs !== undefined) {
            const job = await c.call<{ schedule: { kind: string } }>('cron.get', { id })
            if (job.schedule.kind !== 'cron') {
              io.stderr.write('error: --stagger and --exact apply to cron schedules only\n')
              throw new CliExit(EXIT_FAILURE)
            }
            fields.schedule = { ...job.schedule, staggerMs }
          }
          return c.call('cron.update', { id, patch: fields })
        }
        break
      }
      case 'enable': call = (c) => c.call('cron.update', { id, patch: { enabled: true } }); break
      case 'disable': call = (c) => c.call('cron.update', { id, patch: { enabled: false } }); break
      case 'rm': call = (c) => c.call('cron.remove', { id }); break
      case 'run':
        call = async (c) => {
          const answer = await c.call<{ enqueued: boolean; runId?: string }>('cron.run', { id, mode: o.due ? 'due' : 'force' })
          if (!o.wait || !answer.runId) return answer
          return { ...answer, run: await waitForRun(c, id, answer.runId, o) }
        }
        break
      case 'runs':
        call = (c) => c.call('cron.runs', { ...(o.id ? { id: o.id, scope: 'job' } : { scope: 'all' }), ...(o.runId ? { runId: o.runId } : {}), ...(o.limit ? { limit: o.limit } : {}) })
        break
      default: call = (c) => c.call('cron.status', {})
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    io.stderr.write(`error: ${err.message}\n`)
    throw new CliExit(EXIT_FAILURE)
  }
  const answer = await withGateway(o, io, call)
  io.stdout.write(name === 'list' && !o.json ? formatJobs(answer as { jobs: any[] }) : json(answer))
  if (name === 'run' && o.wait && (answer as any).run?.status === 'error') throw new CliExit(EXIT_FAILURE)
}
/* eslint-enable @typescript-eslint/no-explicit-any */
