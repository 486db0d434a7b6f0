import type { JsonSkill } from './skill-loader.js'

function pascal(name: string): string {
  return name.replace(/(^|[-_\s]+)([a-zA-Z0-9])/g, (_m, _sep, ch: string) => ch.toUpperCase())
}

/**
 * TypeScript declarations for a JSON skill's tool parameters (`<Tool>Args`), so the plugin that
 * handles those tools is typed. json-schema-to-typescript is loaded only when this runs.
 */
export async function generateSkillTypes(skill: JsonSkill): Promise<string> {
  const { compile } = await import('json-schema-to-typescript')
  const parts = [`// Generated from skill '${skill.slug}' by \`openclaw skills types\`. Do not edit.\n`]
  for (const tool of skill.tools) {
    const typeName = `${pascal(tool.name)}Args`
    const schema = { ...tool.parameters, title: typeName }
    parts.push(await compile(schema as Parameters<typeof compile>[0], typeName, { bannerComment: '', additionalProperties: false }))
  }
  return parts.join('\n')
}
