// The contract every StateStore adapter passes, written against the port only (portable SQL, no
// adapter internals). An adapter's test file calls it with a factory for a fresh, empty store:
//   describeStateStoreContract('SqliteStateStore', () => SqliteStateStore.open(':memory:'))
// Not part of the package's build (nothing in src/index.ts imports it); vitest is a dev dependency.
import { afterEach, describe, expect, it } from 'vitest'
import { isCodedError } from '../errors/create-error.js'
import type { StateStore } from './state-store.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

export function describeStateStoreContract(name: string, openStore: () => StateStore | Promise<StateStore>): void {
  describe(`${name}: StateStore contract`, () => {
    const opened: StateStore[] = []
    const open = async () => {
      const store = await openStore()
      opened.push(store)
      return store
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()))
    })

    describe('migrations', () => {
      it('applies each owner’s migrations once, in version order, on its own version line', async () => {
        const store = await open()
        const memory = store.forOwner('tool:memory')
        await memory.migrate([
          { version: 2, name: 'add tag', up: 'ALTER TABLE c_notes ADD COLUMN tag TEXT' },
          { version: 1, name: 'notes', up: 'CREATE TABLE c_notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)' },
        ])
        await memory.migrate([{ version: 1, name: 'notes', up: 'CREATE TABLE c_notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)' }])
        expect(await memory.version()).toBe(2)
        await memory.run('INSERT INTO c_notes (id, body, tag) VALUES (?, ?, ?)', [1, 'hello', 't'])
        expect(await memory.get('SELECT body, tag FROM c_notes')).toEqual({ body: 'hello', tag: 't' })
        expect(await store.forOwner('channel:x').version()).toBe(0)
      })

      it('applies the same migrations once when two callers migrate at the same time', async () => {
        const store = await open()
        const migrations = [
          { version: 1, name: 'a', up: 'CREATE TABLE c_once (v TEXT)' },
          { version: 2, name: 'b', up: "INSERT INTO c_once (v) VALUES ('x')" },
        ]
        await Promise.all([store.forOwner('p').migrate(migrations), store.forOwner('p').migrate(migrations)])
        expect(await store.forOwner('p').all('SELECT v FROM c_once')).toEqual([{ v: 'x' }])
      })

      it('runs the SQL given for its dialect, and a function migration with its transaction and dialect', async () => {
        const store = await open()
        const owner = store.forOwner('p')
        const seen: string[] = []
        await owner.migrate([
          { version: 1, name: 'per dialect', up: { sqlite: 'CREATE TABLE c_d (v TEXT)', postgres: 'CREATE TABLE c_d (v TEXT)' } },
          {
            version: 2,
            name: 'function',
            up: async (tx, dialect) => {
              seen.push(dialect)
              await tx.run('INSERT INTO c_d (v) VALUES (?)', [dialect])
            },
          },
        ])
        expect(seen).toEqual([store.dialect])
        expect(await owner.all('SELECT v FROM c_d')).toEqual([{ v: store.dialect }])
      })

      it('fails a migration that has no SQL for the dialect, naming it, and applies nothing of it', async () => {
        const store = await open()
        const owner = store.forOwner('p')
        const other = store.dialect === 'sqlite' ? 'postgres' : 'sqlite'
        const err = await rejection(owner.migrate([{ version: 1, name: 'only other', up: { [other]: 'CREATE TABLE c_x (v TEXT)' } }]))
        expect(isCodedError(err, 'CORE_ERR_STORE_MIGRATION')).toBe(true)
        expect(isCodedError((err as Error).cause, 'CORE_ERR_STORE_DIALECT')).toBe(true)
        expect(await owner.version()).toBe(0)
      })

      it('rolls back a failing migration completely and names it', async () => {
        const store = await open()
        const owner = store.forOwner('p')
        const err = await rejection(owner.migrate([
          { version: 1, name: 'ok', up: 'CREATE TABLE c_ok (v TEXT)' },
          { version: 2, name: 'half', up: 'CREATE TABLE c_half (v TEXT); CREATE TABLE c_half (w TEXT);' },
        ]))
        expect(isCodedError(err, 'CORE_ERR_STORE_MIGRATION')).toBe(true)
        expect((err as Error).message).toContain('p#2 (half)')
        expect(await owner.version()).toBe(1)
        // c_half was created and dropped with its migration: creating it again works.
        await owner.exec('CREATE TABLE c_half (v TEXT)')
      })
    })

    describe('queries', () => {
      it('binds ? placeholders in order, and leaves a ? inside a string literal alone', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_q (k TEXT PRIMARY KEY, n BIGINT NOT NULL)')
        expect(await p.run('INSERT INTO c_q (k, n) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2])).toEqual({ changes: 2 })
        expect(await p.get("SELECT '?' AS q, k FROM c_q WHERE n = ?", [2])).toEqual({ q: '?', k: 'b' })
        expect(await p.all('SELECT k FROM c_q ORDER BY k')).toEqual([{ k: 'a' }, { k: 'b' }])
        expect(await p.get('SELECT k FROM c_q WHERE k = ?', ['zz'])).toBeUndefined()
        expect(await p.run('DELETE FROM c_q WHERE n >= ?', [1])).toEqual({ changes: 2 })
      })

      it('returns integers as numbers: epoch milliseconds in BIGINT and COUNT(*)', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_t (at BIGINT NOT NULL)')
        const at = 1_767_225_600_123
        await p.run('INSERT INTO c_t (at) VALUES (?)', [at])
        expect(await p.get('SELECT at, COUNT(*) AS c FROM c_t GROUP BY at')).toEqual({ at, c: 1 })
      })

      it('supports INSERT … ON CONFLICT … DO UPDATE with RETURNING', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_u (k TEXT PRIMARY KEY, n BIGINT NOT NULL)')
        const upsert = 'INSERT INTO c_u (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = c_u.n + 1 RETURNING n'
        expect(await p.get(upsert, ['a'])).toEqual({ n: 1 })
        expect(await p.get(upsert, ['a'])).toEqual({ n: 2 })
        expect(await p.all('UPDATE c_u SET n = n * 10 WHERE k = ? RETURNING k, n', ['a'])).toEqual([{ k: 'a', n: 20 }])
      })

      it('runs typed queries through kysely()', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_k (id BIGINT PRIMARY KEY, body TEXT NOT NULL)')
        const db = p.kysely<{ c_k: { id: number; body: string } }>()
        await db.insertInto('c_k').values([{ id: 1, body: 'one' }, { id: 2, body: 'two' }]).execute()
        const rows = await db.selectFrom('c_k').select(['id', 'body']).where('id', '>', 1).execute()
        expect(rows).toEqual([{ id: 2, body: 'two' }])
      })

      it('loads no extension for a dialect the extension does not name', async () => {
        const store = await open()
        expect(await store.forOwner('p').loadExtension({})).toBe(false)
      })

      it('rejects queries after close with CORE_ERR_STORE_CLOSED', async () => {
        const store = await openStore()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_c (v TEXT)')
        await store.close()
        const err = await rejection(p.all('SELECT v FROM c_c'))
        expect(isCodedError(err, 'CORE_ERR_STORE_CLOSED')).toBe(true)
        await store.close()
      })
    })

    describe('transactions', () => {
      it('commits every write of a transaction, and returns its value', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_tx (v TEXT)')
        const value = await p.transaction(async (tx) => {
          await tx.run('INSERT INTO c_tx (v) VALUES (?)', ['a'])
          await tx.run('INSERT INTO c_tx (v) VALUES (?)', ['b'])
          return (await tx.all('SELECT v FROM c_tx')).length
        })
        expect(value).toBe(2)
        expect(await p.all('SELECT v FROM c_tx ORDER BY v')).toEqual([{ v: 'a' }, { v: 'b' }])
      })

      it('undoes every write when the function rejects, and rejects with its error', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_tx (v TEXT)')
        const boom = new Error('boom')
        const err = await rejection(p.transaction(async (tx) => {
          await tx.run('INSERT INTO c_tx (v) VALUES (?)', ['a'])
          await tx.kysely<{ c_tx: { v: string } }>().insertInto('c_tx').values({ v: 'k' }).execute()
          throw boom
        }))
        expect(err).toBe(boom)
        expect(await p.all('SELECT v FROM c_tx')).toEqual([])
      })

      it('undoes a nested transaction alone when it rejects', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_tx (v TEXT)')
        await p.transaction(async (tx) => {
          await tx.run('INSERT INTO c_tx (v) VALUES (?)', ['outer'])
          await rejection(tx.transaction(async (inner) => {
            await inner.run('INSERT INTO c_tx (v) VALUES (?)', ['inner'])
            throw new Error('undo inner')
          }))
          await tx.transaction(async (inner) => {
            await inner.run('INSERT INTO c_tx (v) VALUES (?)', ['kept'])
          })
        })
        expect(await p.all('SELECT v FROM c_tx ORDER BY v')).toEqual([{ v: 'kept' }, { v: 'outer' }])
      })

      it('refuses a tx used after its transaction ended, and an outer tx while a nested one runs', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_tx (v TEXT)')
        let kept: Parameters<Parameters<typeof p.transaction>[0]>[0] | undefined
        await p.transaction(async (tx) => {
          kept = tx
          await tx.transaction(async () => {
            expect(isCodedError(await rejection(tx.get('SELECT v FROM c_tx')), 'CORE_ERR_STORE_TX_CLOSED')).toBe(true)
          })
        })
        expect(isCodedError(await rejection(kept!.run('INSERT INTO c_tx (v) VALUES (?)', ['late'])), 'CORE_ERR_STORE_TX_CLOSED')).toBe(true)
        expect(() => kept!.kysely()).toThrow(/transaction/)
        expect(await p.all('SELECT v FROM c_tx')).toEqual([])
      })

      it('keeps a transaction apart from concurrent queries while it awaits', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_iso (v TEXT)')
        let inside!: () => void
        const started = new Promise<void>((resolve) => (inside = resolve))
        const tx = p.transaction(async (t) => {
          await t.run('INSERT INTO c_iso (v) VALUES (?)', ['tx'])
          inside()
          await sleep(30)
          throw new Error('roll back')
        })
        const outcome = rejection(tx)
        await started
        // Issued while the transaction is open: a read does not see its uncommitted row (SQLite waits for it to
        // end, PostgreSQL reads on another connection), and a write is not undone with it.
        expect(await p.all('SELECT v FROM c_iso')).toEqual([])
        await p.run('INSERT INTO c_iso (v) VALUES (?)', ['outside'])
        expect((await outcome as Error).message).toBe('roll back')
        expect(await p.all('SELECT v FROM c_iso')).toEqual([{ v: 'outside' }])
      })

      it('keeps concurrent transactions apart: each one’s writes land whole', async () => {
        const store = await open()
        const p = store.forOwner('p')
        await p.exec('CREATE TABLE c_many (batch BIGINT NOT NULL, n BIGINT NOT NULL)')
        await Promise.all(Array.from({ length: 20 }, (_, batch) => p.transaction(async (tx) => {
          for (let n = 0; n < 5; n++) {
            await tx.run('INSERT INTO c_many (batch, n) VALUES (?, ?)', [batch, n])
            if (n === 2) await sleep(1)
          }
          if (batch % 4 === 0) throw new Error('undo this batch')
        }).catch(() => undefined)))
        const rows = await p.all<{ batch: number; c: number }>('SELECT batch, COUNT(*) AS c FROM c_many GROUP BY batch ORDER BY batch')
        expect(rows.map((r) => r.batch)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19])
        expect(rows.every((r) => r.c === 5)).toBe(true)
      })
    })
  })
}
