import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import JSON5 from 'json5'
import { CORE_ERR_CONFIG_INVALID, CORE_ERR_CONFIG_NOT_FOUND, CORE_ERR_CONFIG_PARSE } from '../errors/codes.js'
import { CoreConfigSchema, type GatewayConfig, type GatewayConfigInput } from './config-schema.js'
import { formatIssues } from './format-issues.js'
import { substituteEnv } from './substitute-env.js'

export interface ResolvedPaths {
  /** Where state lives: the database, extensions, skills, the generated token. */
  readonly stateDir: string
  /** The config file, which may not exist. */
  readonly configPath: string
  /**
   * True when the path was named (the `configPath` option or `$OPENCLAW_CONFIG_PATH`): a missing
   * file is then an error, not "use the defaults", so a typo in the path cannot start on defaults.
   */
  readonly configRequired: boolean
}

/** Where the state dir and config file are, from explicit options, then the environment, then `~/.openclaw`. */
export function resolvePaths(options: { stateDir?: string; configPath?: string; env?: NodeJS.ProcessEnv } = {}): ResolvedPaths {
  const env = options.env ?? process.env
  const stateDir = resolve(options.stateDir ?? env.OPENCLAW_STATE_DIR ?? join(homedir(), '.openclaw'))
  // An empty OPENCLAW_CONFIG_PATH counts as unset, as `OPENCLAW_CONFIG_PATH= openclaw …` means.
  const named = options.configPath ?? (env.OPENCLAW_CONFIG_PATH || undefined)
  const configPath = resolve(named ?? join(stateDir, 'openclaw.json'))
  return { stateDir, configPath, configRequired: named !== undefined }
}

/** The raw config: the file parsed as JSON5 with `${VAR}` filled in. A missing default file is `{}`. */
export function readConfigFile(path: string, options: { required?: boolean; env?: NodeJS.ProcessEnv } = {}): unknown {
  if (!existsSync(path)) {
    if (options.required) throw new CORE_ERR_CONFIG_NOT_FOUND(path)
    return {}
  }
  let parsed: unknown
  try {
    parsed = JSON5.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new CORE_ERR_CONFIG_PARSE(path, err instanceof Error ? err.message : String(err), { cause: err })
  }
  return substituteEnv(parsed ?? {}, options.env ?? process.env)
}

/** Validate the core's part of a raw config; every bad path is listed in one error. */
export function parseCoreConfig(raw: unknown, source = 'config'): GatewayConfig {
  const result = CoreConfigSchema.safeParse(raw)
  if (result.success) return result.data
  throw new CORE_ERR_CONFIG_INVALID(`${source}:\n${formatIssues(result.error.issues, raw).join('\n')}`)
}

export type { GatewayConfig, GatewayConfigInput }
