import { describe, expect, it } from 'vitest'
import { LocalCluster } from './local-cluster.js'

describe('LocalCluster (one gateway on SQLite)', () => {
  it('runs a singleton here until it is stopped, then aborts its signal and calls its stop', async () => {
    const cluster = new LocalCluster()
    const log: string[] = []
    const handle = cluster.singleton('cron:tick', async (signal) => {
      log.push('start')
      signal.addEventListener('abort', () => log.push('abort'))
      return () => void log.push('stop')
    })
    await expect.poll(() => log).toEqual(['start'])
    expect(handle.isLeader()).toBe(true)
    await handle.stop()
    expect(log).toEqual(['start', 'abort', 'stop'])
    expect(handle.isLeader()).toBe(false)
    expect(() => cluster.singleton('cron:tick', async () => {})).not.toThrow()
  })

  it('refuses one name twice, and reports a start that threw', async () => {
    const errors: string[] = []
    const cluster = new LocalCluster((name) => errors.push(name))
    cluster.singleton('a', async () => {
      throw new Error('boom')
    })
    expect(() => cluster.singleton('a', async () => {})).toThrow(expect.objectContaining({ code: 'CORE_ERR_CLUSTER_SINGLETON_DUPLICATE' }))
    await expect.poll(() => errors).toEqual(['a'])
    await cluster.stopSingletons()
  })
})
