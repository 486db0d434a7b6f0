import type { ZodError, ZodType } from 'zod'
import { OAI_ERR_INVALID_BODY } from './errors.js'
import { invalidParam } from './openai-error.js'

/** A zod issue path as OpenAI names params: `messages[2].content`. */
export function formatParamPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`
  return out
}

type Issue = ZodError['issues'][number]

/**
 * The issue to report: the first one, except that for a union that no branch matched and that has
 * no message of its own, the issue of the branch that got furthest (the array branch of
 * `string | Part[]` names the bad part).
 */
export function reportedIssue(issues: readonly Issue[]): { path: PropertyKey[]; message: string } {
  const issue = issues[0]!
  // A union with its own message (`tool_choice`) says it best; a plain one is dug into.
  const plain = issue.message === 'Invalid input'
  if (issue.code === 'invalid_union' && plain && 'errors' in issue && issue.errors.length > 0) {
    let best: { path: PropertyKey[]; message: string } | undefined
    for (const branch of issue.errors) {
      if (branch.length === 0) continue
      const candidate = reportedIssue(branch)
      if (!best || candidate.path.length > best.path.length) best = candidate
    }
    if (best && best.path.length > 0) return { path: [...issue.path, ...best.path], message: best.message }
  }
  return { path: [...issue.path], message: issue.message }
}

/**
 * Validate a JSON body with `schema`. A body that is not an object is `OAI_ERR_INVALID_BODY`; the
 * first schema issue is `OAI_ERR_INVALID_PARAM` naming its path.
 */
export function parseRequestBody<T>(schema: ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAI_ERR_INVALID_BODY('expected a JSON object (send content-type: application/json)')
  }
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = reportedIssue(result.error.issues)
  const param = formatParamPath(issue.path)
  throw invalidParam(param === '' ? '(body)' : param, issue.message)
}
