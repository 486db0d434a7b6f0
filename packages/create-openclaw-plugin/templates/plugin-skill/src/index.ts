import { definePlugin, defineSkill, type JsonSchema, type ToolDefinition } from '@openclaw/plugin-sdk'
import skill from '../skills/__SHORT_NAME__.json' with { type: 'json' }
import type { LookupWordArgs } from './generated/skill-types.js'

export const PLUGIN_NAME = '__PLUGIN_ID__'
/** The skill's slug: a message switches it on with `@__SHORT_NAME__`. */
export const SKILL_SLUG = skill.slug

const GLOSSARY: Record<string, Record<string, string>> = {
  en: { gateway: 'a server that sits between clients and the services behind it' },
  fr: { passerelle: 'gateway: a server between clients and the services behind it' },
}

/** The code behind each tool the JSON skill declares, typed by the generated `<Tool>Args`. */
const handlers = {
  lookup_word: ({ word, language = 'en' }: LookupWordArgs) => {
    const definition = GLOSSARY[language]?.[word.toLowerCase()]
    return definition ? { word, language, definition } : { word, language, unknown: true }
  },
} satisfies Record<string, (args: never) => unknown>

type HandlerName = keyof typeof handlers

function isHandler(name: string): name is HandlerName {
  return Object.hasOwn(handlers, name)
}

/** The JSON skill's tools, each with its JSON Schema (checked by the gateway before `execute`) and its handler. */
const tools: ToolDefinition[] = skill.tools.map((spec) => {
  if (!isHandler(spec.name)) throw new Error(`skills/${skill.slug}.json declares tool '${spec.name}', which src/index.ts has no handler for`)
  const handler = handlers[spec.name] as (args: unknown) => unknown
  return { name: spec.name, description: spec.description, parameters: spec.parameters as JsonSchema, execute: (args: unknown) => handler(args) }
})

/** The plugin, as a factory: each call is one instance (keep per-gateway state in its closure). */
export default function skillPlugin() {
  return definePlugin({
    id: PLUGIN_NAME,
    version: '0.1.0',
    kind: 'skill',
    apiVersion: '__API_RANGE__',
    description: 'A JSON skill with typed tools',
    register(api) {
      api.skills.register(defineSkill({ slug: skill.slug, name: skill.name, description: skill.description, prompt: skill.prompt, tools }))
    },
  })
}
