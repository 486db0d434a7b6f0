import { spawn } from 'node:child_process'
import { CLI_ERR_PLUGIN_NPM_FAILED } from './errors.js'

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'

/** Run npm with these arguments in `cwd`; resolves with stdout, rejects with a coded error carrying npm's output. */
export function runNpm(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(NPM, [...args], { cwd, env: { ...process.env, ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', (err) => reject(new CLI_ERR_PLUGIN_NPM_FAILED(`npm ${args.join(' ')}`, err.message, { cause: err })))
    child.on('close', (code) => {
      if (code === 0) resolve(stdout)
      else reject(new CLI_ERR_PLUGIN_NPM_FAILED(`npm ${args.join(' ')}`, (stderr || stdout).trim().split('\n').slice(-15).join('\n')))
    })
  })
}
