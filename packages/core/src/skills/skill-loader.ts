import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { formatIssues } from '../config/format-issues.js'
import { timerMs } from '../config/timer-limits.js'
import { CORE_ERR_SKILL_INVALID, CORE_ERR_TOOL_UNKNOWN } from '../errors/codes.js'
import type { SkillDefinition } from '../types/skills.js'
import type { ToolContext, ToolDefinition } from '../types/tools.js'

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/

/** A JSON skill as authors write it. */
export const JsonSkillSchema = z.strictObject({
  $schema: z.string().optional(),
  slug: z.string().regex(SLUG, 'expected a lowercase slug (letters, digits, "-", "_")'),
  name: z.string().min(1),
  description: z.string().min(1),
  prompt: z.string().min(1),
  tools: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a tool name of letters, digits, "_" or "-"'),
        description: z.string().min(1),
        parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }),
        timeoutMs: timerMs().positive().optional(),
      }),
    )
    .default([]),
})
export type JsonSkill = z.output<typeof JsonSkillSchema>

/** Looks up the code that runs a JSON skill's tool: a tool of the same name registered by a plugin. */
export type SkillToolHandlers = (name: string) => ToolDefinition | undefined

export interface SkillLoadResult {
  readonly skills: SkillDefinition[]
  /** Files that were skipped, each with a coded error naming the path and fields. */
  readonly errors: Error[]
}

/** Turn a parsed JSON skill into a skill whose tools run the handlers plugins register. */
export function jsonSkillToDefinition(skill: JsonSkill, source: string, handlers: SkillToolHandlers): SkillDefinition {
  const tools: ToolDefinition[] = skill.tools.map((spec) => ({
    name: spec.name,
    description: spec.description,
    parameters: spec.parameters,
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
    execute: (args: unknown, ctx: ToolContext) => {
      const handler = handlers(spec.name)
      if (!handler) throw new CORE_ERR_TOOL_UNKNOWN(`${spec.name} (skill '${skill.slug}' declares it, but no plugin registers a handler)`)
      return handler.execute(args, ctx)
    },
  }))
  return { slug: skill.slug, name: skill.name, description: skill.description, prompt: skill.prompt, tools, source }
}

function parseFrontmatter(text: string): { data: Record<string, string>; body: string } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text)
  if (!match) return undefined
  const data: Record<string, string> = {}
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line)
    if (kv) data[kv[1]!] = kv[2]!.trim().replace(/^(['"])(.*)\1$/, '$2')
  }
  return { data, body: match[2]!.trim() }
}

/**
 * Load skills from a folder: `*.json` files (JSON skills) and `<slug>/SKILL.md` folders
 * (frontmatter `name`, `description`; the body is the prompt). Invalid files are reported by path
 * and field, and skipped.
 */
export function loadSkillsDir(dir: string, handlers: SkillToolHandlers): SkillLoadResult {
  const skills: SkillDefinition[] = []
  const errors: Error[] = []
  if (!existsSync(dir)) return { skills, errors }
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    try {
      if (name.endsWith('.json')) {
        let raw: unknown
        try {
          raw = JSON.parse(readFileSync(path, 'utf8'))
        } catch (err) {
          throw new CORE_ERR_SKILL_INVALID(path, `- not valid JSON: ${(err as Error).message}`)
        }
        const parsed = JsonSkillSchema.safeParse(raw)
        if (!parsed.success) throw new CORE_ERR_SKILL_INVALID(path, formatIssues(parsed.error.issues, raw).join('\n'))
        skills.push(jsonSkillToDefinition(parsed.data, path, handlers))
      } else if (statSync(path).isDirectory() && existsSync(join(path, 'SKILL.md'))) {
        const file = join(path, 'SKILL.md')
        const front = parseFrontmatter(readFileSync(file, 'utf8'))
        const slug = name.toLowerCase()
        const problems = [
          !front && '- (file): expected frontmatter between --- lines',
          front && !front.data.name && '- name: required in frontmatter',
          front && !front.data.description && '- description: required in frontmatter',
          !SLUG.test(slug) && `- (folder name): '${name}' is not a valid slug`,
          front && !front.body && '- (body): the skill has no prompt text',
        ].filter(Boolean)
        if (problems.length > 0) throw new CORE_ERR_SKILL_INVALID(file, problems.join('\n'))
        skills.push({ slug, name: front!.data.name!, description: front!.data.description!, prompt: front!.body, source: file })
      }
    } catch (err) {
      errors.push(err as Error)
    }
  }
  return { skills, errors }
}
