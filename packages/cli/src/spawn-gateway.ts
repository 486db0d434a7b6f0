// Test support, not exported: `openclaw gateway` (this package's bin, from its TypeScript sources) in a
// child process, resolved once it prints its "listening" line.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url))
const LISTENING = /listening on http:\/\/(127\.0\.0\.1:\d+)/

export interface SpawnedGateway {
  readonly child: ChildProcess
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  /** What the gateway wrote to stderr so far. */
  log(): string
  /** Send `signal` (default SIGTERM) and wait for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>
}

export async function spawnGateway(options: { stateDir: string; configPath: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Promise<SpawnedGateway> {
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (name.startsWith('OPENCLAW_')) delete env[name]
  // Only what the test sets (say OPENCLAW_DATABASE_URL), never what the shell running the tests had.
  Object.assign(env, options.env)
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, 'gateway', '--port', '0', '--state-dir', options.stateDir, '--config', options.configPath], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no "listening" line; stdout: ${stdout} stderr: ${stderr}`))
    }, options.timeoutMs ?? 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = LISTENING.exec(stdout)
      if (match) {
        clearTimeout(timer)
        resolve(`ws://${match[1]}`)
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`the gateway exited (${code ?? signal}) before listening; stderr: ${stderr}`))
    })
  })
  return {
    child,
    url,
    log: () => stderr,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    },
  }
}
