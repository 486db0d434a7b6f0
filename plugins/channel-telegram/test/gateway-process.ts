// Test support for the restart and liveness tests: `openclaw gateway` as a child process (from source,
// through tsx), configured for a fake Telegram server and a scripted model. Not exported.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const CLI_BIN = fileURLToPath(new URL('../../../packages/cli/src/bin.ts', import.meta.url))
export const GATEWAY_TOKEN = 'telegram-process-test-token-0123456789'

/** The environment of a child: this one without OPENCLAW_* variables. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const name of Object.keys(env)) if (name.startsWith('OPENCLAW_')) delete env[name]
  return env
}

/** Write `openclaw.json` in `dir` for a gateway whose Telegram account polls `apiRoot`; returns its path. */
export function writeGatewayConfig(dir: string, options: { token: string; apiRoot: string; modelBaseUrl: string; telegram?: Record<string, unknown>; config?: Record<string, unknown> }): string {
  const path = join(dir, 'openclaw.json')
  writeFileSync(
    path,
    JSON.stringify({
      gateway: { auth: { token: GATEWAY_TOKEN } },
      models: { providers: { openai: { baseUrl: options.modelBaseUrl, apiKey: 'test-key', maxRetries: 0 } } },
      agents: { defaults: { model: 'openai/scripted-model' } },
      channels: { telegram: { botToken: options.token, apiRoot: options.apiRoot, dmPolicy: 'open', allowFrom: ['*'], ...options.telegram } },
      logging: { level: 'error' },
      ...options.config,
    }),
  )
  return path
}

/** Start `openclaw gateway` and resolve once it listens. */
export function startGatewayProcess(configPath: string, stateDir: string, port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_BIN, 'gateway', '--port', String(port), '--state-dir', stateDir, '--config', configPath], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`gateway did not listen within 60 s; stderr: ${stderr}`)), 60_000)
    proc.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (/listening on http:\/\//.test(stdout)) {
        clearTimeout(timer)
        resolve(proc)
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`gateway exited with ${code}: ${stderr}`))
    })
  })
}

/** SIGKILL a gateway and wait until it is gone. */
export async function killGateway(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const gone = new Promise((resolve) => proc.once('exit', resolve))
  proc.kill('SIGKILL')
  await gone
}

/** Run the CLI (`openclaw <args>`) to completion; resolves with its exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_BIN, ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stdout, stderr })))
}
