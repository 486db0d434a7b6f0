import { basename, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { CREATE_ERR_KIND_UNKNOWN, CREATE_ERR_NOT_INTERACTIVE, CREATE_ERR_USAGE } from './errors.js'
import { resolveFrom } from './resolve-from.js'
import { checkTargetDir, scaffold, type ScaffoldResult } from './scaffold.js'
import { assertNpmName, assertPluginId, derivePluginId, isKind, KINDS, npmNameProblem, shortName, type PluginKind } from './validate-names.js'

export interface CreateIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  readonly cwd: string
  /** Whether questions can be asked (a terminal on stdin and stdout). */
  readonly interactive: boolean
}

export const USAGE = `Usage: create-openclaw-plugin [dir] [options]

Scaffold an OpenClaw plugin project: a channel, a tool, a JSON skill or a model provider.

Options:
  --kind <kind>     channel | tool | skill | provider
  --name <name>     npm package name (default: the folder's name)
  --id <id>         plugin id (default: <kind>:<name without scope and openclaw-plugin- prefix>)
  --dir <dir>       target folder (default: the name without scope)
  --from <path>     take @openclaw/* from local \`pnpm pack\` tarballs: a folder, or tarballs separated by commas
  -y, --yes         take the defaults for anything not given; ask nothing
  --force           write into a non-empty folder (files with the same name are overwritten)
  -h, --help        show this help
`

interface Answers {
  kind?: string
  name?: string
  id?: string
  dir?: string
  from?: string
  yes: boolean
  force: boolean
}

function parse(argv: readonly string[]): Answers & { help: boolean } {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        kind: { type: 'string' },
        name: { type: 'string' },
        id: { type: 'string' },
        dir: { type: 'string' },
        from: { type: 'string' },
        yes: { type: 'boolean', short: 'y', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    throw new CREATE_ERR_USAGE((err as Error).message, { cause: err })
  }
  const { values, positionals } = parsed
  if (positionals.length > 1) throw new CREATE_ERR_USAGE(`expected at most one folder, got ${positionals.length}: ${positionals.join(' ')}`)
  if (positionals[0] !== undefined && values.dir !== undefined) throw new CREATE_ERR_USAGE('give the folder once: as an argument or as --dir')
  return { ...values, dir: values.dir ?? positionals[0] }
}

/** Ask for what is missing, with @clack/prompts. Loaded only when a question is asked. */
async function ask(answers: Answers, io: CreateIo): Promise<Answers | undefined> {
  const p = await import('@clack/prompts')
  p.intro('create-openclaw-plugin')
  const out = { ...answers }
  if (out.kind === undefined) {
    const kind = await p.select({
      message: 'What kind of plugin?',
      options: [
        { value: 'tool', label: 'tool', hint: 'a function the agent can call' },
        { value: 'channel', label: 'channel', hint: 'a chat platform over HTTP: inbound route, outbound send' },
        { value: 'skill', label: 'skill', hint: 'a JSON skill: a prompt plus typed tools' },
        { value: 'provider', label: 'provider', hint: 'a model provider speaking an HTTP API' },
      ],
    })
    if (p.isCancel(kind)) return undefined
    out.kind = kind
  }
  if (out.name === undefined) {
    const fallback = out.dir !== undefined ? basename(resolve(io.cwd, out.dir)) : `openclaw-plugin-my-${out.kind}`
    const name = await p.text({ message: 'Package name?', initialValue: fallback, validate: (v) => npmNameProblem(v ?? '') })
    if (p.isCancel(name)) return undefined
    out.name = name
  }
  if (out.dir === undefined) {
    const dir = await p.text({
      message: 'Folder?',
      initialValue: shortName(out.name),
      validate: (v) => {
        try {
          checkTargetDir(resolve(io.cwd, v ?? ''), out.force)
          return undefined
        } catch (err) {
          return (err as Error).message
        }
      },
    })
    if (p.isCancel(dir)) return undefined
    out.dir = dir
  }
  return out
}

function nextSteps(result: ScaffoldResult, io: CreateIo, kind: PluginKind, fromTarballs: boolean): string {
  const rel = relative(io.cwd, result.dir) || '.'
  return [
    `Created a ${kind} plugin in ${result.dir} (${result.files.length} files).`,
    '',
    'Next:',
    `  cd ${rel.includes(' ') ? JSON.stringify(rel) : rel}`,
    `  npm install${fromTarballs ? '   # @openclaw/* from your local tarballs' : ''}`,
    '  npm test',
    '  npm run build',
    '  openclaw plugins install .   # then restart the gateway',
    '',
    'README.md says how to run it in a gateway; docs/plugin-guide.md in OpenClaw goes from here to publishing.',
    '',
  ].join('\n')
}

/** The scaffolder's command line. Resolves with the exit code; every failure is a coded error on stderr. */
export async function runCreate(argv: readonly string[], io: CreateIo): Promise<number> {
  try {
    const args = parse(argv)
    if (args.help) {
      io.stdout.write(USAGE)
      return 0
    }
    if (args.kind !== undefined && !isKind(args.kind)) throw new CREATE_ERR_KIND_UNKNOWN(args.kind, KINDS.join(', '))
    if (args.name !== undefined) assertNpmName(args.name)
    if (args.id !== undefined) assertPluginId(args.id)
    const from = args.from !== undefined ? resolveFrom(args.from, io.cwd) : undefined
    if (args.dir !== undefined) checkTargetDir(resolve(io.cwd, args.dir), args.force)

    let answers: Answers = args
    const missing = (['kind', 'name', 'dir'] as const).filter((key) => answers[key] === undefined)
    if (missing.length > 0 && !args.yes) {
      if (!io.interactive) throw new CREATE_ERR_NOT_INTERACTIVE(missing.map((m) => `--${m}`).join(', '))
      const asked = await ask(answers, io)
      if (!asked) {
        io.stderr.write('Cancelled: nothing was written.\n')
        return 1
      }
      answers = asked
    }
    const kind = (answers.kind ?? 'tool') as PluginKind
    const name = answers.name ?? (answers.dir !== undefined ? basename(resolve(io.cwd, answers.dir)) : `openclaw-plugin-my-${kind}`)
    const result = scaffold({
      kind,
      name,
      id: answers.id ?? derivePluginId(kind, name),
      dir: resolve(io.cwd, answers.dir ?? shortName(name)),
      force: answers.force,
      ...(from ? { from } : {}),
    })
    io.stdout.write(nextSteps(result, io, kind, from !== undefined))
    return 0
  } catch (err) {
    const code = (err as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('CREATE_ERR_')) {
      io.stderr.write(`error [${code}]: ${(err as Error).message}\n`)
      return code === 'CREATE_ERR_USAGE' ? 2 : 1
    }
    throw err
  }
}
