import * as codes from './codes.js'

/** Every code the core throws or reports (`result.error.code`), as a type. */
export type CoreErrorCode = keyof typeof codes

/**
 * The core's error classes by code: `CoreErrors.CORE_ERR_TOOL_UNKNOWN.code`, `new CoreErrors.X(…)`,
 * `err instanceof CoreErrors.X`. What plugins import (through the SDK) instead of writing
 * `'CORE_ERR_…'` strings.
 */
export const CoreErrors: typeof codes = Object.freeze({ ...codes })

/** The core's codes as typed string constants: compare `result.error.code === CoreErrorCodes.CORE_ERR_SESSION_BUSY`. */
export const CoreErrorCodes: { readonly [K in CoreErrorCode]: K } = Object.freeze(
  Object.fromEntries(Object.keys(codes).map((code) => [code, code])) as { [K in CoreErrorCode]: K },
)

/** True when `code` is one of the core's. */
export function isCoreErrorCode(code: string): code is CoreErrorCode {
  return Object.hasOwn(CoreErrorCodes, code)
}
