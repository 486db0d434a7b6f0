#!/usr/bin/env node
// Writes src/generated/skill-types.ts: a `<Tool>Args` type for each tool of each skills/*.json, from
// its JSON Schema (json-schema-to-typescript), so the handlers in src/index.ts are typed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { compile } from 'json-schema-to-typescript'

const pascal = (name) => name.replace(/(^|[-_\s]+)([a-zA-Z0-9])/g, (_m, _sep, ch) => ch.toUpperCase())
const parts = ['// Generated from skills/*.json by `npm run gen`. Do not edit.\n']
for (const file of readdirSync('skills').filter((name) => name.endsWith('.json')).sort()) {
  const skill = JSON.parse(readFileSync(`skills/${file}`, 'utf8'))
  for (const tool of skill.tools ?? []) {
    const typeName = `${pascal(tool.name)}Args`
    parts.push(await compile({ ...tool.parameters, title: typeName }, typeName, { bannerComment: '', additionalProperties: false }))
  }
}
mkdirSync('src/generated', { recursive: true })
writeFileSync('src/generated/skill-types.ts', parts.join('\n'))
console.log('gen-skill-types: wrote src/generated/skill-types.ts')
