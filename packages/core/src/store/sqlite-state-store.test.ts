import { spawn } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isCodedError } from '../errors/create-error.js'
import { SqliteStateStore } from './sqlite-state-store.js'
import { describeStateStoreContract } from './state-store-contract.js'

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'openclaw-store-')), 'state.db')

describeStateStoreContract('SqliteStateStore (:memory:)', () => SqliteStateStore.open(':memory:'))
describeStateStoreContract('SqliteStateStore (file, WAL)', () => SqliteStateStore.open(dbPath()))

describe('SqliteStateStore', () => {
  it('creates the database and its WAL and SHM files readable by the owner only (0600)', async () => {
    const path = dbPath()
    const store = SqliteStateStore.open(path)
    await store.exec('CREATE TABLE t (x TEXT)')
    await store.run('INSERT INTO t (x) VALUES (?)', ['a transcript'])
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
    await store.close()
    // A database created 0644 by an older version is tightened when opened.
    const old = dbPath()
    writeFileSync(old, '', { mode: 0o644 })
    await SqliteStateStore.open(old).close()
    expect((statSync(old).mode & 0o777).toString(8)).toBe('600')
  })

  it('keeps data and migration state across reopen, in WAL mode', async () => {
    const path = dbPath()
    const first = SqliteStateStore.open(path)
    await first.forOwner('p').migrate([{ version: 1, name: 't', up: 'CREATE TABLE p_t (v TEXT)' }])
    await first.forOwner('p').run('INSERT INTO p_t VALUES (?)', ['kept'])
    await first.close()
    const second = SqliteStateStore.open(path)
    const p = second.forOwner('p')
    expect(await p.version()).toBe(1)
    expect(await p.all('SELECT v FROM p_t')).toEqual([{ v: 'kept' }])
    expect(await p.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' })
    await second.close()
  })

  it('rejects owner names that are not identifiers', () => {
    const store = SqliteStateStore.open(':memory:')
    expect(() => store.forOwner('bad owner; drop')).toThrowError(/Store owner/)
  })

  it('fails a query made through the store inside its own transaction with CORE_ERR_STORE_LOCK_TIMEOUT, not a hang', async () => {
    const store = SqliteStateStore.open(':memory:', { lockTimeoutMs: 50 })
    const p = store.forOwner('p')
    await p.exec('CREATE TABLE p_t (v TEXT)')
    const err = await p.transaction(async (tx) => {
      await tx.run('INSERT INTO p_t VALUES (?)', ['a'])
      return p.get('SELECT v FROM p_t').then(() => undefined, (e: unknown) => e)
    })
    expect(isCodedError(err, 'CORE_ERR_STORE_LOCK_TIMEOUT')).toBe(true)
    // The transaction itself committed; the store is usable again.
    expect(await p.all('SELECT v FROM p_t')).toEqual([{ v: 'a' }])
    await store.close()
  })

  it('queues queries behind a transaction in arrival order, and runs them at once otherwise', async () => {
    const store = SqliteStateStore.open(':memory:')
    const p = store.forOwner('p')
    await p.exec('CREATE TABLE p_log (n INTEGER)')
    const order: string[] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const tx = p.transaction(async (t) => {
      await t.run('INSERT INTO p_log VALUES (0)')
      await gate
      order.push('tx done')
    })
    const queued = [1, 2, 3].map((n) => p.run('INSERT INTO p_log VALUES (?)', [n]).then(() => order.push(`q${n}`)))
    await new Promise((r) => setTimeout(r, 10))
    expect(order).toEqual([])
    release()
    await Promise.all([tx, ...queued])
    expect(order).toEqual(['tx done', 'q1', 'q2', 'q3'])
    expect((await p.all<{ n: number }>('SELECT n FROM p_log ORDER BY rowid')).map((r) => r.n)).toEqual([0, 1, 2, 3])
    await store.close()
  })

  it('waits for a running transaction before it closes', async () => {
    const store = SqliteStateStore.open(':memory:')
    const p = store.forOwner('p')
    await p.exec('CREATE TABLE p_t (v TEXT)')
    const tx = p.transaction(async (t) => {
      await new Promise((r) => setTimeout(r, 20))
      await t.run('INSERT INTO p_t VALUES (?)', ['late'])
      return 'committed'
    })
    const closed = store.close()
    expect(await tx).toBe('committed')
    await closed
    expect(store.open).toBe(false)
  })

  it('fails to load a missing SQLite extension with CORE_ERR_STORE_EXTENSION', async () => {
    const store = SqliteStateStore.open(':memory:')
    const err = await store.forOwner('p').loadExtension({ sqlite: { path: join(tmpdir(), 'no-such-extension.so') } }).catch((e: unknown) => e)
    expect(isCodedError(err, 'CORE_ERR_STORE_EXTENSION')).toBe(true)
    expect(await store.forOwner('p').loadExtension({ postgres: 'vector' })).toBe(false)
    await store.close()
  })

  it('stays consistent when the writing process is killed with SIGKILL mid-write', async () => {
    const path = dbPath()
    const setup = SqliteStateStore.open(path)
    await setup.forOwner('k').migrate([{ version: 1, name: 't', up: 'CREATE TABLE k_rows (batch INTEGER, n INTEGER)' }])
    await setup.close()
    // A child writes batches of 100 rows, each batch in one transaction, as fast as it can.
    const storeUrl = new URL('./sqlite-state-store.ts', import.meta.url).href
    const script = `
      const { SqliteStateStore } = await import(${JSON.stringify(storeUrl)});
      const store = SqliteStateStore.open(${JSON.stringify(path)});
      const k = store.forOwner('k');
      let batch = 0;
      process.stdout.write('ready\\n');
      for (;;) {
        batch++;
        await k.transaction(async (tx) => { for (let n = 0; n < 100; n++) await tx.run('INSERT INTO k_rows VALUES (?, ?)', [batch, n]); });
      }`
    const child = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)))
    })
    await new Promise((r) => setTimeout(r, 300))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    const store = SqliteStateStore.open(path)
    const k = store.forOwner('k')
    expect(await k.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' })
    expect(await k.all('SELECT batch, COUNT(*) AS c FROM k_rows GROUP BY batch HAVING c <> 100')).toEqual([])
    expect((await k.get<{ c: number }>('SELECT COUNT(*) AS c FROM k_rows'))!.c).toBeGreaterThan(0)
    await store.close()
  })
})
