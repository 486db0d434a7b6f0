import { format } from 'node:util'

/** An error with a stable, documented code. Every error OpenClaw throws on purpose is one of these. */
export interface CodedError<Code extends string = string, Details = unknown> extends Error {
  readonly code: Code
  /** HTTP status a surface should answer with, when the error reaches a client. */
  readonly statusCode: number | undefined
  /** Structured facts for machines (a surface may pass them to its client, e.g. RPC `error.details`). */
  readonly details?: Details
}

/** The trailing options of a coded error: its `cause`, and its typed `details`. */
export interface CodedErrorOptions<Details = unknown> {
  readonly cause?: unknown
  readonly details?: Details
}

export interface CodedErrorConstructor<Code extends string, Args extends unknown[], Details = Readonly<Record<string, unknown>>> {
  new (...args: [...Args, options?: CodedErrorOptions<Details>]): CodedError<Code, Details>
  (...args: [...Args, options?: CodedErrorOptions<Details>]): CodedError<Code, Details>
  readonly code: Code
  readonly prototype: CodedError<Code, Details>
}

export class OpenClawError<Code extends string = string, Details = unknown> extends Error implements CodedError<Code, Details> {
  override name = 'OpenClawError'
  // Declared, not initialised: an error without details has no `details` key at all.
  declare readonly details?: Details
  constructor(
    readonly code: Code,
    message: string,
    readonly statusCode: number | undefined,
    options?: CodedErrorOptions<Details>,
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined)
    if (options?.details !== undefined) this.details = options.details
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`
  }
}

/** Longest argument a client error (4xx) echoes back; a 1 MB `model` must not come back as a 1 MB error. */
export const MAX_ECHOED_CHARS = 512

/** A string argument of a client error, cut at {@link MAX_ECHOED_CHARS} (other arguments as they are). */
function clipEchoed(arg: unknown): unknown {
  return typeof arg === 'string' && arg.length > MAX_ECHOED_CHARS ? `${arg.slice(0, MAX_ECHOED_CHARS)}… (${arg.length} characters)` : arg
}

function isOptions(value: unknown): value is CodedErrorOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((k) => k === 'cause' || k === 'details')
}

/**
 * Make a coded error class, in the manner of `@fastify/error`: `%s` placeholders are filled from the
 * typed arguments and a trailing `{ cause, details }` is kept; `details` has the type given as the
 * third type argument. For client errors (4xx) each string argument is cut at {@link MAX_ECHOED_CHARS}.
 *
 * ```ts
 * export const CORE_ERR_X = createError<'CORE_ERR_X', [plugin: string], { attempt: number }>('CORE_ERR_X', "Plugin '%s' broke")
 * throw new CORE_ERR_X('channel:telegram', { cause: err, details: { attempt: 2 } })
 * ```
 */
export function createError<Code extends string, Args extends unknown[] = [], Details = Readonly<Record<string, unknown>>>(
  code: Code,
  message: string,
  statusCode?: number,
): CodedErrorConstructor<Code, Args, Details> {
  function Coded(this: unknown, ...args: unknown[]): CodedError<Code> {
    const last = args[args.length - 1]
    const options = args.length > 0 && isOptions(last) && countPlaceholders(message) < args.length ? (args.pop() as CodedErrorOptions) : undefined
    // Client errors quote what the client sent: bounded, so error bodies and logs stay small.
    const clientError = statusCode !== undefined && statusCode >= 400 && statusCode < 500
    const text = args.length > 0 ? format(message, ...(clientError ? args.map(clipEchoed) : args)) : message
    const err = new OpenClawError(code, text, statusCode, options)
    Error.captureStackTrace?.(err, Coded)
    return err
  }
  Object.defineProperty(Coded, 'code', { value: code })
  Object.defineProperty(Coded, 'name', { value: code })
  Object.defineProperty(Coded, Symbol.hasInstance, {
    value: (instance: unknown) => isCodedError(instance, code),
  })
  return Coded as unknown as CodedErrorConstructor<Code, Args, Details>
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
