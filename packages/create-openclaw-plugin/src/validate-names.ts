import { CREATE_ERR_ID_INVALID, CREATE_ERR_NAME_INVALID } from './errors.js'

/** The template kinds. */
export const KINDS = ['channel', 'tool', 'skill', 'provider'] as const
export type PluginKind = (typeof KINDS)[number]

export function isKind(value: string): value is PluginKind {
  return (KINDS as readonly string[]).includes(value)
}

const NAME_PART = /^[a-z0-9][a-z0-9._~-]*$/
const PLUGIN_ID = /^[a-z][a-z0-9-]*(?::[a-z0-9][a-z0-9-]*)?$/

/** Why `name` is not a valid npm package name (the rules npm applies to new packages), or undefined. */
export function npmNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty'
  if (name.length > 214) return 'it is longer than 214 characters'
  if (name !== name.trim()) return 'it has leading or trailing spaces'
  if (name.toLowerCase() !== name) return 'it has uppercase letters'
  const scoped = /^@([^/]+)\/([^/]+)$/.exec(name)
  if (name.startsWith('@') && !scoped) return "a scoped name is '@scope/name'"
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name]
  for (const part of parts) {
    if (part.startsWith('.') || part.startsWith('_')) return "it starts with '.' or '_'"
    if (!NAME_PART.test(part)) return "it may only hold lowercase letters, digits and '-', '.', '_', '~'"
  }
  if (['node_modules', 'favicon.ico'].includes(parts.at(-1)!)) return 'that name is reserved'
  return undefined
}

export function assertNpmName(name: string): void {
  const problem = npmNameProblem(name)
  if (problem) throw new CREATE_ERR_NAME_INVALID(name, problem)
}

export function isPluginId(id: string): boolean {
  return PLUGIN_ID.test(id) && id.length <= 64
}

export function assertPluginId(id: string): void {
  if (!isPluginId(id)) throw new CREATE_ERR_ID_INVALID(id)
}

/** The name without scope and without an `openclaw-plugin-` / `plugin-` prefix: `@me/openclaw-plugin-weather` → `weather`. */
export function shortName(name: string): string {
  const bare = name.replace(/^@[^/]+\//, '')
  const short = bare.replace(/^openclaw-plugin-/, '').replace(/^plugin-/, '').replace(/[._~]/g, '-').replace(/^-+|-+$/g, '')
  return short === '' ? bare : short
}

/** The plugin id for a package: `<kind>:<short name>`. */
export function derivePluginId(kind: PluginKind, name: string): string {
  return `${kind}:${shortName(name)}`
}
