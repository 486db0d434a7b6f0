import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import JSON5 from 'json5'
import { CLI_ERR_CONFIG_WRITE } from './errors.js'

/**
 * Change the config file with `edit` (on the text as written: `${VAR}` stays as it is) and write it
 * back as JSON. Creates the file when there is none. Comments in a JSON5 file do not survive.
 */
export function editConfigFile(path: string, edit: (config: Record<string, unknown>) => void): void {
  let config: Record<string, unknown> = {}
  if (existsSync(path)) {
    try {
      const parsed: unknown = JSON5.parse(readFileSync(path, 'utf8'))
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the file is not a JSON object')
      config = parsed as Record<string, unknown>
    } catch (err) {
      throw new CLI_ERR_CONFIG_WRITE(path, (err as Error).message, { cause: err })
    }
  }
  edit(config)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`)
}

/** `config[key]` as an object, created when missing. */
export function section(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = config[key]
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  const created: Record<string, unknown> = {}
  config[key] = created
  return created
}
