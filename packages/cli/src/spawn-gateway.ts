// Test support, not exported (not in the package's entry points): `openclaw gateway` (this package's
// bin, from its TypeScript sources) in a child process, resolved once it prints its "listening" line.
// The one copy of the start / wait-for-listening / stop code for every test that runs the gateway as a
// process: this package's e2e tests, and other packages' (by path, as channel-telegram's
// test/gateway-process.ts does).
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The `openclaw` binary's source. */
export const OPENCLAW_BIN = fileURLToPath(new URL('./bin.ts', import.meta.url))
const LISTENING = /listening on http:\/\/(127\.0\.0\.1:(\d+))/

/** Node's arguments to run `openclaw <args>` from source (through tsx). */
export function openclawArgs(args: readonly string[]): string[] {
  return ['--conditions=source', '--import', 'tsx', OPENCLAW_BIN, ...args]
}

/**
 * The environment of a child: this process's, without its OPENCLAW_* variables (never what the shell
 * running the tests had), plus `env`.
 */
export function openclawEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const child = { ...process.env }
  for (const name of Object.keys(child)) if (name.startsWith('OPENCLAW_')) delete child[name]
  return Object.assign(child, env)
}

/** A port free on 127.0.0.1 now: for a gateway that must come back on the same port when restarted. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Send `signal` (default SIGTERM) unless the process is gone, and wait until it is; its exit code (null when a signal ended it). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.kill(signal)
  return exited
}

export interface SpawnGatewayOptions {
  readonly stateDir: string
  /** `--config`; none: no config file (the defaults). */
  readonly configPath?: string
  /** `--port`; default 0 (any free one). A fixed one (see {@link freePort}) lets a restarted gateway come back on it. */
  readonly port?: number
  /** How long to wait for the "listening" line; then the child is killed. Default 30 s. */
  readonly timeoutMs?: number
  /** Set in the child's environment (say OPENCLAW_DATABASE_URL), which has none of this process's OPENCLAW_* variables. */
  readonly env?: NodeJS.ProcessEnv
  /** What errors call it (say `replica 1`); default `the gateway`. */
  readonly name?: string
}

export interface SpawnedGateway {
  readonly child: ChildProcess
  readonly port: number
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  /** `http://127.0.0.1:<port>` */
  readonly httpUrl: string
  /** What the gateway wrote to stderr so far. */
  log(): string
  /** What it wrote to stdout so far. */
  stdout(): string
  /** Send `signal` (default SIGTERM) and wait for the process to exit; its exit code (null when a signal ended it). */
  kill(signal?: NodeJS.Signals): Promise<number | null>
}

export async function spawnGateway(options: SpawnGatewayOptions): Promise<SpawnedGateway> {
  const name = options.name ?? 'the gateway'
  const args = ['gateway', '--port', String(options.port ?? 0), '--state-dir', options.stateDir, ...(options.configPath ? ['--config', options.configPath] : [])]
  const child = spawn(process.execPath, openclawArgs(args), { env: openclawEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name}: no "listening" line within ${options.timeoutMs ?? 30_000} ms; stdout: ${stdout} stderr: ${stderr}`))
    }, options.timeoutMs ?? 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = LISTENING.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve({ host: match[1]!, port: Number(match[2]) })
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (${code ?? signal}) before listening; stderr: ${stderr}`))
    })
  })
  return {
    child,
    port: address.port,
    url: `ws://${address.host}`,
    httpUrl: `http://${address.host}`,
    log: () => stderr,
    stdout: () => stdout,
    kill: (signal = 'SIGTERM') => stopProcess(child, signal),
  }
}
