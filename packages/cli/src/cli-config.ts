import { existsSync } from 'node:fs'
import { readConfigFile, resolvePaths, type LogLevel } from '@openclaw/core'

/** Where a command reads its config: `--config` / `--state-dir`, else the environment, else `~/.openclaw`. */
export interface ConfigLocation {
  readonly config?: string
  readonly stateDir?: string
}

/** The config file as read for one command, before validation. */
export interface CliConfig {
  readonly stateDir: string
  readonly configPath: string
  /** False when no file exists at the default path (defaults apply); a named path must exist. */
  readonly exists: boolean
  /** The file's content, parsed as JSON5 with `${VAR}` filled in. */
  readonly raw: Record<string, unknown>
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * Read the config the way the core does (`--config`, else `OPENCLAW_CONFIG_PATH`, else
 * `<stateDir>/openclaw.json` if present). A path named by `--config` or `OPENCLAW_CONFIG_PATH` must
 * exist. Throws the core's coded errors (`CORE_ERR_CONFIG_NOT_FOUND`, `CORE_ERR_CONFIG_PARSE`,
 * `CORE_ERR_CONFIG_ENV_MISSING`).
 */
export function loadCliConfig(location: ConfigLocation, env: NodeJS.ProcessEnv): CliConfig {
  const paths = resolvePaths({
    ...(location.stateDir !== undefined ? { stateDir: location.stateDir } : {}),
    ...(location.config !== undefined ? { configPath: location.config } : {}),
    env,
  })
  const raw = readConfigFile(paths.configPath, { required: paths.configRequired, env })
  return {
    stateDir: paths.stateDir,
    configPath: paths.configPath,
    exists: existsSync(paths.configPath),
    raw: raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {},
  }
}

/** `logging.level` when the file sets a valid one; otherwise `fallback` (the core reports bad values). */
export function configuredLogLevel(config: CliConfig, fallback: LogLevel): LogLevel {
  const level = (config.raw.logging as { level?: unknown } | undefined)?.level
  return LOG_LEVELS.includes(level as LogLevel) ? (level as LogLevel) : fallback
}

/** A copy of `raw` with `section.key` set to `value` for each override that is defined. */
export function withOverrides(raw: Record<string, unknown>, section: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined)
  if (defined.length === 0) return raw
  const current = raw[section]
  const base = current !== null && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {}
  return { ...raw, [section]: { ...base, ...Object.fromEntries(defined) } }
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

function escapeEnvRefs(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('${') ? value.replace(ENV_REF, '$$$${$1}') : value
  if (Array.isArray(value)) return value.map(escapeEnvRefs)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeEnvRefs(item)]))
  }
  return value
}

/**
 * The already-substituted config, ready for `createGateway({ config })`, which substitutes
 * `${VAR}` again: every `${NAME}` left in a string (a literal the user escaped as `$${NAME}`) is
 * escaped once more, so the second pass gives back the same text.
 */
export function toGatewayConfigInput(raw: Record<string, unknown>): Record<string, unknown> {
  return escapeEnvRefs(raw) as Record<string, unknown>
}
