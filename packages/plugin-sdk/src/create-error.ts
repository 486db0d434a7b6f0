import { createError as createCoreError, type CodedError } from '@openclaw/core'

/**
 * A coded error class, as `createError` makes it. Declared in the SDK (not re-exported from the core)
 * so that a plugin's published `.d.ts` names `@openclaw/plugin-sdk`, the package it depends on.
 */
export interface CodedErrorConstructor<Code extends string, Args extends unknown[]> {
  new (...args: [...Args, options?: { cause?: unknown }]): CodedError<Code>
  (...args: [...Args, options?: { cause?: unknown }]): CodedError<Code>
  readonly code: Code
  readonly prototype: CodedError<Code>
}

/**
 * Make a coded error class: `code`, optional HTTP `statusCode`, `%s`/`%d` formatting of typed
 * arguments and a trailing `{ cause }`.
 */
export function createError<Code extends string, Args extends unknown[] = []>(code: Code, message: string, statusCode?: number): CodedErrorConstructor<Code, Args> {
  return createCoreError<Code, Args>(code, message, statusCode)
}
