import type { z } from 'zod'

/** At most this many issues are spelled out in one message. */
const MAX_ISSUES = 5

function fieldOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(params)' : path.map(String).join('.')
}

/**
 * A one-line description of why params failed their schema, naming each field:
 * `unknown field 'foo'; 'message': Invalid input: expected string, received number`.
 */
export function describeParamsError(error: z.ZodError): string {
  const parts: string[] = []
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) parts.push(`unknown field '${fieldOf([...issue.path, key])}'`)
    } else {
      parts.push(`'${fieldOf(issue.path)}': ${issue.message}`)
    }
    if (parts.length >= MAX_ISSUES) break
  }
  return parts.join('; ')
}
