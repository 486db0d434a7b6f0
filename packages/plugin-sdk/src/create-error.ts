import { createError as createCoreError, type CodedError } from '@openclaw/core'

/**
 * A coded error class, as `createError` makes it. Declared in the SDK (not re-exported from the core)
 * so that a plugin's published `.d.ts` names `@openclaw/plugin-sdk`, the package it depends on.
 */
export interface CodedErrorConstructor<Code extends string, Args extends unknown[], Details = Readonly<Record<string, unknown>>> {
  new (...args: [...Args, options?: { readonly cause?: unknown; readonly details?: Details }]): CodedError<Code, Details>
  (...args: [...Args, options?: { readonly cause?: unknown; readonly details?: Details }]): CodedError<Code, Details>
  readonly code: Code
  readonly prototype: CodedError<Code, Details>
}

/**
 * Make a coded error class: `code`, optional HTTP `statusCode`, `%s`/`%d` formatting of typed
 * arguments and a trailing `{ cause, details }` (`details` typed by the third type argument).
 */
export function createError<Code extends string, Args extends unknown[] = [], Details = Readonly<Record<string, unknown>>>(
  code: Code,
  message: string,
  statusCode?: number,
): CodedErrorConstructor<Code, Args, Details> {
  return createCoreError<Code, Args, Details>(code, message, statusCode)
}
