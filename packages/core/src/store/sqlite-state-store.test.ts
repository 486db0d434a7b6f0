import { spawn } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isCodedError } from '../errors/create-error.js'
import { SqliteStateStore } from './sqlite-state-store.js'

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'openclaw-store-')), 'state.db')

describe('SqliteStateStore', () => {
  it('creates the database and its WAL and SHM files readable by the owner only (0600)', () => {
    const path = dbPath()
    const store = SqliteStateStore.open(path)
    store.exec('CREATE TABLE t (x TEXT)')
    store.run('INSERT INTO t (x) VALUES (?)', ['a transcript'])
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect((statSync(file).mode & 0o777).toString(8)).toBe('600')
    store.close()
    // A database created 0644 by an older version is tightened when opened.
    const old = dbPath()
    writeFileSync(old, '', { mode: 0o644 })
    SqliteStateStore.open(old).close()
    expect((statSync(old).mode & 0o777).toString(8)).toBe('600')
  })

  it('applies each owner’s migrations once, in version order', () => {
    const store = SqliteStateStore.open(':memory:')
    const memory = store.forOwner('tool:memory')
    memory.migrate([
      { version: 2, name: 'add tag', up: 'ALTER TABLE memory_notes ADD COLUMN tag TEXT' },
      { version: 1, name: 'notes', up: 'CREATE TABLE memory_notes (id INTEGER PRIMARY KEY, body TEXT)' },
    ])
    memory.migrate([{ version: 1, name: 'notes', up: 'CREATE TABLE memory_notes (id INTEGER PRIMARY KEY, body TEXT)' }])
    expect(memory.version()).toBe(2)
    memory.run('INSERT INTO memory_notes (body, tag) VALUES (?, ?)', ['hello', 't'])
    expect(memory.get<{ body: string }>('SELECT body FROM memory_notes')?.body).toBe('hello')
    // Another owner has its own version line.
    expect(store.forOwner('channel:x').version()).toBe(0)
    store.close()
  })

  it('rolls back a failing migration completely and names it', () => {
    const store = SqliteStateStore.open(':memory:')
    const owner = store.forOwner('p')
    const err = (() => {
      try {
        owner.migrate([{ version: 1, name: 'half', up: 'CREATE TABLE p_a (x); CREATE TABLE p_a (y);' }])
      } catch (e) {
        return e
      }
    })()
    expect(isCodedError(err, 'CORE_ERR_STORE_MIGRATION')).toBe(true)
    expect((err as Error).message).toContain('p#1 (half)')
    expect(owner.version()).toBe(0)
    expect(owner.get("SELECT name FROM sqlite_master WHERE name = 'p_a'")).toBeUndefined()
  })

  it('keeps data and migration state across reopen, in WAL mode', () => {
    const path = dbPath()
    const first = SqliteStateStore.open(path)
    first.forOwner('p').migrate([{ version: 1, name: 't', up: 'CREATE TABLE p_t (v TEXT)' }])
    first.forOwner('p').run('INSERT INTO p_t VALUES (?)', ['kept'])
    first.close()
    const second = SqliteStateStore.open(path)
    const p = second.forOwner('p')
    expect(p.version()).toBe(1)
    expect(p.all('SELECT v FROM p_t')).toEqual([{ v: 'kept' }])
    expect(p.get<{ journal_mode: string }>('PRAGMA journal_mode')?.journal_mode).toBe('wal')
    second.close()
  })

  it('rejects owner names that are not identifiers', () => {
    const store = SqliteStateStore.open(':memory:')
    expect(() => store.forOwner('bad owner; drop')).toThrowError(/Store owner/)
  })

  it('stays consistent when the writing process is killed with SIGKILL mid-write', async () => {
    const path = dbPath()
    const setup = SqliteStateStore.open(path)
    setup.forOwner('k').migrate([{ version: 1, name: 't', up: 'CREATE TABLE k_rows (batch INTEGER, n INTEGER)' }])
    setup.close()
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
        k.transaction(() => { for (let n = 0; n < 100; n++) k.run('INSERT INTO k_rows VALUES (?, ?)', [batch, n]); });
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
    expect(k.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check).toBe('ok')
    const partial = k.all('SELECT batch, COUNT(*) AS c FROM k_rows GROUP BY batch HAVING c <> 100')
    expect(partial).toEqual([])
    expect(k.get<{ c: number }>('SELECT COUNT(*) AS c FROM k_rows')!.c).toBeGreaterThan(0)
    store.close()
  })
})
