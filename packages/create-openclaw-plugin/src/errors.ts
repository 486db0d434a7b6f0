// Every code the scaffolder throws. Each key equals its code, and docs/errors.md lists it
// (scripts/error-docs.mjs). The scaffolder does not load @openclaw/core (npx stays fast), so it has
// its own small createError with the core's shape: `code`, `%s` formatting, a trailing `{ cause }`.

export interface CreateError<Code extends string> extends Error {
  readonly code: Code
}

export interface CreateErrorConstructor<Code extends string, Args extends unknown[]> {
  new (...args: [...Args, options?: { cause?: unknown }]): CreateError<Code>
  readonly code: Code
}

function createError<Code extends string, Args extends unknown[] = []>(code: Code, message: string): CreateErrorConstructor<Code, Args> {
  class Coded extends Error {
    readonly code = code
    constructor(...args: unknown[]) {
      const last = args.at(-1)
      const options = last !== null && typeof last === 'object' && 'cause' in last ? (args.pop() as { cause?: unknown }) : undefined
      let i = 0
      super(message.replace(/%s/g, () => String(args[i++])), options)
      this.name = code
    }
  }
  Object.defineProperty(Coded, 'code', { value: code })
  return Coded as unknown as CreateErrorConstructor<Code, Args>
}

/** `--kind` is not one of the template kinds. */
export const CREATE_ERR_KIND_UNKNOWN = createError<'CREATE_ERR_KIND_UNKNOWN', [kind: string, kinds: string]>(
  'CREATE_ERR_KIND_UNKNOWN',
  "Unknown plugin kind '%s': expected one of %s")
/** `--name` is not a valid npm package name. */
export const CREATE_ERR_NAME_INVALID = createError<'CREATE_ERR_NAME_INVALID', [name: string, reason: string]>(
  'CREATE_ERR_NAME_INVALID',
  "'%s' is not a valid npm package name: %s")
/** `--id` (or the id derived from the name) is not a valid plugin id. */
export const CREATE_ERR_ID_INVALID = createError<'CREATE_ERR_ID_INVALID', [id: string]>(
  'CREATE_ERR_ID_INVALID',
  "'%s' is not a valid plugin id: expected lowercase letters, digits and '-', optionally namespaced as '<kind>:<name>' (e.g. 'tool:weather')")
/** The target directory exists and is not empty, and `--force` was not given. */
export const CREATE_ERR_DIR_NOT_EMPTY = createError<'CREATE_ERR_DIR_NOT_EMPTY', [dir: string]>(
  'CREATE_ERR_DIR_NOT_EMPTY',
  "Directory '%s' is not empty: choose another --dir, or pass --force to write over the files in it")
/** The target path exists and is a file. */
export const CREATE_ERR_DIR_IS_FILE = createError<'CREATE_ERR_DIR_IS_FILE', [dir: string]>(
  'CREATE_ERR_DIR_IS_FILE',
  "'%s' is a file, not a directory")
/** `--from` names no folder or tarball, or the tarballs lack a package the template needs. */
export const CREATE_ERR_FROM_INVALID = createError<'CREATE_ERR_FROM_INVALID', [from: string, reason: string]>(
  'CREATE_ERR_FROM_INVALID',
  "--from '%s' cannot be used: %s")
/** A command-line argument is unknown, repeated or missing its value. */
export const CREATE_ERR_USAGE = createError<'CREATE_ERR_USAGE', [reason: string]>(
  'CREATE_ERR_USAGE',
  '%s (see create-openclaw-plugin --help)')
/** Not enough answers to scaffold without asking, and no terminal to ask on. */
export const CREATE_ERR_NOT_INTERACTIVE = createError<'CREATE_ERR_NOT_INTERACTIVE', [missing: string]>(
  'CREATE_ERR_NOT_INTERACTIVE',
  'Missing %s and no terminal to ask on: pass it as a flag, or --yes to take the defaults')
