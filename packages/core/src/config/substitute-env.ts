import { CORE_ERR_CONFIG_ENV_MISSING } from '../errors/codes.js'
import { formatPath } from './format-issues.js'

const VAR = /\$\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * Replace `${NAME}` in every string of the config with the environment variable's value. A variable
 * that is not set is an error naming it and where it was used; `$${NAME}` stays as a literal `${NAME}`.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value
    return value.replace(VAR, (_match, escaped: string | undefined, name: string | undefined) => {
      if (escaped !== undefined) return `\${${escaped}}`
      const resolved = env[name!]
      if (resolved === undefined) throw new CORE_ERR_CONFIG_ENV_MISSING(name!, formatPath(path))
      return resolved
    })
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, [...path, i]))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) out[key] = substituteEnv(item, env, [...path, key])
    return out
  }
  return value
}
