import type { ToolDefinition } from './tools.js'

/** A skill: a named prompt, optionally with tools, that `@slug` in a message switches on for a turn. */
export interface SkillDefinition {
  readonly slug: string
  readonly name: string
  readonly description: string
  readonly prompt: string
  readonly tools?: readonly ToolDefinition[]
  /** Where the skill came from (a file path or a plugin id), for listings and errors. */
  readonly source?: string
}
