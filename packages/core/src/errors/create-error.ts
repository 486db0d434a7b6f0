import { format } from 'node:util'

/** An error with a stable, documented code. Every error OpenClaw throws on purpose is one of these. */
export interface CodedError<Code extends string = string> extends Error {
  readonly code: Code
  /** HTTP status a surface should answer with, when the error reaches a client. */
  readonly statusCode: number | undefined
}

export interface CodedErrorConstructor<Code extends string, Args extends unknown[]> {
  new (...args: [...Args, options?: { cause?: unknown }]): CodedError<Code>
  (...args: [...Args, options?: { cause?: unknown }]): CodedError<Code>
  readonly code: Code
  readonly prototype: CodedError<Code>
}

export class OpenClawError<Code extends string = string> extends Error implements CodedError<Code> {
  override name = 'OpenClawError'
  constructor(
    readonly code: Code,
    message: string,
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`
  }
}

function isOptions(value: unknown): value is { cause?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === 'cause')
}

/**
 * Make a coded error class, in the manner of `@fastify/error`: `%s` placeholders are filled from the
 * typed arguments and a trailing `{ cause }` is kept.
 *
 * ```ts
 * export const CORE_ERR_X = createError<'CORE_ERR_X', [plugin: string]>('CORE_ERR_X', "Plugin '%s' broke")
 * throw new CORE_ERR_X('channel:telegram', { cause: err })
 * ```
 */
export function createError<Code extends string, Args extends unknown[] = []>(
  code: Code,
  message: string,
  statusCode?: number,
): CodedErrorConstructor<Code, Args> {
  function Coded(this: unknown, ...args: unknown[]): CodedError<Code> {
    const last = args[args.length - 1]
    const options = args.length > 0 && isOptions(last) && countPlaceholders(message) < args.length ? (args.pop() as { cause?: unknown }) : undefined
    const text = args.length > 0 ? format(message, ...args) : message
    const err = new OpenClawError(code, text, statusCode, options)
    Error.captureStackTrace?.(err, Coded)
    return err
  }
  Object.defineProperty(Coded, 'code', { value: code })
  Object.defineProperty(Coded, 'name', { value: code })
  Object.defineProperty(Coded, Symbol.hasInstance, {
    value: (instance: unknown) => isCodedError(instance, code),
  })
  return Coded as unknown as CodedErrorConstructor<Code, Args>
}

function countPlaceholders(message: string): number {
  return (message.match(/%[sdjifoO]/g) ?? []).length
}

/** True when `value` is a coded error, optionally with the given code. */
export function isCodedError(value: unknown, code?: string): value is CodedError {
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (code === undefined || (value as unknown as { code: string }).code === code)
  )
}
