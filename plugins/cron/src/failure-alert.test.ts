import { describe, expect, it } from 'vitest'
import type { CronJob, CronJobState } from './cron-job.js'
import { mergeFailureAlert, planFailureAlert, resolveFailureAlert, type FailureAlertPolicy } from './failure-alert.js'

const T = Date.UTC(2026, 0, 1, 12)
const HOUR = 3_600_000

function job(extra: Partial<CronJob> = {}): CronJob {
  return {
    id: 'j1', name: 'report', agentId: 'main', enabled: true, createdAtMs: T, updatedAtMs: T,
    schedule: { kind: 'every', everyMs: 60_000 }, sessionTarget: 'isolated', wakeMode: 'now',
    payload: { kind: 'agentTurn', message: 'x' }, state: { consecutiveErrors: 0, consecutiveSkipped: 0 },
    ...extra,
  }
}

const announce = { mode: 'announce' as const, channel: 'telegram', to: '42', threadId: '7' }

describe('resolveFailureAlert', () => {
  it('covers a job with an announce delivery by default: after 2, a 1-hour cooldown, to its announce target', () => {
    expect(resolveFailureAlert(job({ delivery: announce }), undefined)).toEqual({
      after: 2, cooldownMs: HOUR, includeSkipped: false, route: { mode: 'announce', channel: 'telegram', to: '42', threadId: '7' }, primary: true,
    })
  })

  it('leaves a job without a route quiet, unless a job or global failureAlert object turns alerts on', () => {
    expect(resolveFailureAlert(job(), undefined)).toBeUndefined()
    expect(resolveFailureAlert(job({ delivery: { mode: 'none' } }), undefined)).toBeUndefined()
    expect(resolveFailureAlert(job(), {})?.route).toEqual({ mode: 'announce', channel: 'last' })
    expect(resolveFailureAlert(job({ failureAlert: { after: 4 } }), undefined)).toMatchObject({ after: 4, route: { channel: 'last' } })
  })

  it('turns alerts off with failureAlert false, and with the global enabled false unless the job has its own object', () => {
    expect(resolveFailureAlert(job({ delivery: announce, failureAlert: false }), { channel: 'ops', to: 'room' })).toBeUndefined()
    expect(resolveFailureAlert(job({ delivery: announce }), { enabled: false })).toBeUndefined()
    expect(resolveFailureAlert(job({ delivery: announce, failureAlert: { cooldownMs: 0 } }), { enabled: false })).toMatchObject({ cooldownMs: 0 })
  })

  it('lets delivery.bestEffort suppress inherited alerts but not a job\'s own policy', () => {
    expect(resolveFailureAlert(job({ delivery: { ...announce, bestEffort: true } }), undefined)).toBeUndefined()
    expect(resolveFailureAlert(job({ delivery: { ...announce, bestEffort: true } }), { after: 3 })).toBeUndefined()
    expect(resolveFailureAlert(job({ delivery: { ...announce, bestEffort: true }, failureAlert: {} }), undefined)).toBeDefined()
  })

  it('takes route fields from the job, then the global ones, then the announce target; settings likewise', () => {
    const global = { channel: 'slack', to: 'C1', after: 5, cooldownMs: 60_000, includeSkipped: true }
    expect(resolveFailureAlert(job({ delivery: announce }), global)).toEqual({ after: 5, cooldownMs: 60_000, includeSkipped: true, route: { mode: 'announce', channel: 'slack', to: 'C1' }, primary: false })
    expect(resolveFailureAlert(job({ delivery: announce, failureAlert: { to: 'ops', after: 1 } }), global)).toEqual({
      after: 1, cooldownMs: 60_000, includeSkipped: true, route: { mode: 'announce', channel: 'slack', to: 'ops' }, primary: false,
    })
    expect(resolveFailureAlert(job({ failureAlert: { mode: 'webhook', to: 'https://hooks.example.com/a' } }), undefined)?.route).toEqual({ mode: 'webhook', channel: 'webhook', to: 'https://hooks.example.com/a' })
  })

  it('never alerts for a system-owned job (the heartbeat)', () => {
    expect(resolveFailureAlert(job({ system: true, delivery: announce }), {})).toBeUndefined()
  })
})

describe('planFailureAlert', () => {
  const policy: FailureAlertPolicy = { after: 2, cooldownMs: HOUR, includeSkipped: false, route: { mode: 'announce', channel: 'telegram', to: '42' }, primary: false }
  const failed = (state: CronJobState, nowMs: number, errorReason = 'error') => planFailureAlert({ job: job(), state, policy, status: 'error', error: 'boom', errorReason, runAtMs: nowMs, nowMs })
  const errors = (n: number, extra: Partial<CronJobState> = {}): CronJobState => ({ consecutiveErrors: n, consecutiveSkipped: 0, ...extra })

  it('alerts when the failures in a row reach the threshold, once for the same cause however long it lasts', () => {
    const first = failed(errors(1), T)
    expect(first.alert).toBeUndefined()
    const second = failed(errors(2, { failureAlertIncident: first.state.failureAlertIncident! }), T + 1000)
    expect(second.alert).toMatchObject({ kind: 'failure', route: policy.route })
    expect(second.alert!.text).toMatch(/^Automation "report" failed 2 times\nCause: error/)
    expect(second.state.lastFailureAlertAtMs).toBe(T + 1000)
    // Past the cooldown, the same cause stays one incident: no second alert.
    expect(failed({ ...second.state, consecutiveErrors: 7 }, T + 5 * HOUR).alert).toBeUndefined()
  })

  it('alerts for a changed cause only once the cooldown has passed', () => {
    const alerted = failed(errors(2), T).state
    expect(failed({ ...alerted, consecutiveErrors: 3 }, T + HOUR - 1, 'timeout').alert).toBeUndefined()
    expect(failed({ ...alerted, consecutiveErrors: 3 }, T + HOUR, 'timeout').alert).toMatchObject({ kind: 'failure' })
  })

  it('sends one recovery notice on the success after an alert, and clears the incident quietly when none was sent', () => {
    const alerted = failed(errors(2), T).state
    const recovered = planFailureAlert({ job: job(), state: { ...alerted, consecutiveErrors: 0 }, policy, status: 'ok', runAtMs: T, nowMs: T })
    expect(recovered.alert).toMatchObject({ kind: 'recovered', text: 'Automation "report" recovered\nThe latest run completed successfully.' })
    expect(recovered.state.failureAlertIncident).toBeUndefined()
    expect(recovered.state.lastFailureAlertAtMs).toBeUndefined()
    const below = failed(errors(1), T).state
    const cleared = planFailureAlert({ job: job(), state: { ...below, consecutiveErrors: 0 }, policy, status: 'ok', runAtMs: T, nowMs: T })
    expect(cleared.alert).toBeUndefined()
    expect(cleared.state.failureAlertIncident).toBeUndefined()
  })

  it('counts skipped fires only with includeSkipped', () => {
    const skipped = (p: FailureAlertPolicy) => planFailureAlert({ job: job(), state: { consecutiveErrors: 0, consecutiveSkipped: 3 }, policy: p, status: 'skipped', errorReason: 'missed', runAtMs: T, nowMs: T })
    expect(skipped(policy)).toEqual({ state: { consecutiveErrors: 0, consecutiveSkipped: 3 } })
    expect(skipped({ ...policy, includeSkipped: true }).alert?.text).toMatch(/^Automation "report" skipped 3 times\nSkip reason: missed/)
  })

  it('sends the auto-disable notice instead of the threshold alert, whatever the cooldown', () => {
    const state = errors(10, { lastFailureAlertAtMs: T, failureAlertIncident: { signature: 'x' } })
    const out = planFailureAlert({ job: job(), state, policy, status: 'error', error: 'boom', errorReason: 'error', runAtMs: T, nowMs: T + 1, autoDisabled: true })
    expect(out.alert).toMatchObject({ kind: 'auto-disabled' })
    expect(out.alert!.text).toContain('openclaw cron enable j1')
  })

  it('sends no alert for a failed delivery to the same route it would go to, but does to another route', () => {
    const delivery = (p: FailureAlertPolicy) => planFailureAlert({ job: job(), state: errors(3), policy: p, status: 'error', error: 'announce failed', errorReason: 'delivery', runAtMs: T, nowMs: T })
    expect(delivery({ ...policy, primary: true }).alert).toBeUndefined()
    expect(delivery(policy).alert).toMatchObject({ kind: 'failure' })
  })

  it('changes nothing without a policy but the open incident', () => {
    expect(planFailureAlert({ job: job(), state: errors(5), policy: undefined, status: 'error', runAtMs: T, nowMs: T })).toEqual({ state: errors(5, { failureAlertIncident: {} }) })
  })
})

describe('mergeFailureAlert', () => {
  it('merges an object patch field by field; false and null replace', () => {
    expect(mergeFailureAlert({ after: 3, to: 'a' }, { cooldownMs: 0 })).toEqual({ after: 3, to: 'a', cooldownMs: 0 })
    expect(mergeFailureAlert(false, { after: 1 })).toEqual({ after: 1 })
    expect(mergeFailureAlert({ after: 3 }, false)).toBe(false)
    expect(mergeFailureAlert({ after: 3 }, null)).toBeUndefined()
  })
})
