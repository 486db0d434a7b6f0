import type { z } from 'zod'

const SECRET_PATH = /(token|password|secret|api[-_]?key|authorization|proxy)/i

/** A dot path as users write it in the config file: `gateway.auth.mode`, `agents.entries.main.tools.allow[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out || '(root)'
}

function describeValue(path: string, value: unknown): string {
  if (value === undefined) return 'nothing'
  if (SECRET_PATH.test(path)) return 'a value (hidden)'
  const text = JSON.stringify(value)
  if (text === undefined) return typeof value
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key as string]
  }
  return current
}

/**
 * One line per problem: the path, what was expected, and what was found.
 * `prefix` is the path of the section `input` came from.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path])
    let detail = issue.message
    if (issue.code === 'unrecognized_keys') {
      detail = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`
      return `- ${path}: ${detail}`
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues.map((i) => i.message).join('; ')
      return `- ${path}: invalid key '${String(issue.path[issue.path.length - 1])}': ${inner}`
    }
    const found = describeValue(path, valueAt(input, issue.path))
    return `- ${path}: ${detail} (found ${found})`
  })
}
