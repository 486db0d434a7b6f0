// Test support for the restart and liveness tests: `openclaw gateway` as a child process (from source,
// through tsx), configured for a fake Telegram server and a scripted model. Not exported. Starting,
// waiting for "listening" and stopping are the CLI's test harness (packages/cli/src/spawn-gateway.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
// The CLI's test support, by path: this package does not depend on the CLI.
import { OPENCLAW_BIN, openclawArgs, openclawEnv, spawnGateway, stopProcess } from '../../../packages/cli/src/spawn-gateway.js'

export const CLI_BIN = OPENCLAW_BIN
export const GATEWAY_TOKEN = 'telegram-process-test-token-0123456789'

/** The environment of a child: this one without OPENCLAW_* variables. */
export function childEnv(): NodeJS.ProcessEnv {
  return openclawEnv()
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
export async function startGatewayProcess(configPath: string, stateDir: string, port: number): Promise<ChildProcess> {
  return (await spawnGateway({ stateDir, configPath, port, timeoutMs: 60_000 })).child
}

/** SIGKILL a gateway and wait until it is gone. */
export async function killGateway(proc: ChildProcess): Promise<void> {
  await stopProcess(proc, 'SIGKILL')
}

/** Run the CLI (`openclaw <args>`) to completion; resolves with its exit code and output. */
export function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, openclawArgs(args), { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stdout, stderr })))
}
