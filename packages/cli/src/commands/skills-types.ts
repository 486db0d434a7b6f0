import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { errors, generateSkillTypes, JsonSkillSchema, resolvePaths, type JsonSkill } from '@openclaw/core'
import { CliExit } from '../cli-exit.js'
import type { CliIo } from '../cli-io.js'
import { EXIT_FAILURE } from '../exit-codes.js'
import { formatError } from '../format-error.js'

export interface SkillsTypesOptions {
  readonly stateDir?: string
  /** Where the `.d.ts` files go; default `<stateDir>/skills/types`. */
  readonly out?: string
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`
  return out || '(root)'
}

/** The skill, or one line per problem: the field and what is wrong with it. */
function readSkill(file: string): { skill?: JsonSkill; problems: string[] } {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    return { problems: [`- (file): not valid JSON: ${(err as Error).message}`] }
  }
  const parsed = JsonSkillSchema.safeParse(raw)
  if (parsed.success) return { skill: parsed.data, problems: [] }
  return { problems: parsed.error.issues.map((issue) => `- ${fieldPath(issue.path)}: ${issue.message}`) }
}

/**
 * `openclaw skills types`: TypeScript declarations (`<Tool>Args`) for the tools of every JSON skill
 * in `<stateDir>/skills/*.json`, one `<slug>.d.ts` each, so the plugin that handles them is typed.
 * Invalid files are reported by path and field; the valid ones are still written.
 */
export async function runSkillsTypes(options: SkillsTypesOptions, io: CliIo): Promise<void> {
  const { stateDir } = resolvePaths({ ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}), env: io.env })
  const skillsDir = join(stateDir, 'skills')
  const outDir = options.out ?? join(skillsDir, 'types')
  const files = existsSync(skillsDir) ? readdirSync(skillsDir).filter((name) => name.endsWith('.json')).sort() : []
  if (files.length === 0) {
    io.stdout.write(`No JSON skills in ${skillsDir}\n`)
    return
  }
  let invalid = 0
  for (const name of files) {
    const file = join(skillsDir, name)
    const { skill, problems } = readSkill(file)
    if (!skill) {
      invalid++
      io.stderr.write(formatError(new errors.CORE_ERR_SKILL_INVALID(file, problems.join('\n'))))
      continue
    }
    mkdirSync(outDir, { recursive: true })
    const target = join(outDir, `${skill.slug}.d.ts`)
    writeFileSync(target, await generateSkillTypes(skill))
    io.stdout.write(`wrote ${target} (${skill.tools.length} tool${skill.tools.length === 1 ? '' : 's'})\n`)
  }
  if (invalid > 0) throw new CliExit(EXIT_FAILURE)
}
