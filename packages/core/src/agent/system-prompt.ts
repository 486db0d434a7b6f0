import type { SkillDefinition } from '../types/skills.js'

export const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.'

const MENTION = /(?:^|[\s(])@([a-z0-9][a-z0-9_-]{0,63})\b/gi

/** Skills a message mentions as `@slug`, among those available. */
export function mentionedSkills(message: string, skills: readonly SkillDefinition[]): SkillDefinition[] {
  const bySlug = new Map(skills.map((s) => [s.slug, s]))
  const out: SkillDefinition[] = []
  for (const match of message.matchAll(MENTION)) {
    const skill = bySlug.get(match[1]!.toLowerCase())
    if (skill && !out.includes(skill)) out.push(skill)
  }
  return out
}

/**
 * The system prompt of one turn, kept lean: the agent's prompt, extra instructions, a one-line list
 * of the skills that `@slug` switches on, and the prompts of the skills this message switched on.
 */
export function composeSystemPrompt(input: {
  agentPrompt: string | undefined
  instructions: string | undefined
  skills: readonly SkillDefinition[]
  active: readonly SkillDefinition[]
}): string {
  const parts = [input.agentPrompt ?? DEFAULT_SYSTEM_PROMPT]
  if (input.instructions) parts.push(input.instructions)
  if (input.skills.length > 0) {
    parts.push(`Skills (the user switches one on with @slug): ${input.skills.map((s) => `@${s.slug} (${s.description})`).join('; ')}.`)
  }
  for (const skill of input.active) parts.push(`## Skill @${skill.slug}: ${skill.name}\n${skill.prompt}`)
  return parts.join('\n\n')
}
