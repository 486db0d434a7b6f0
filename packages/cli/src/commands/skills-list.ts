import { join } from 'node:path'
import { loadSkillsDir, type SkillDefinition } from '@openclaw/core'
import { configuredLogLevel, loadCliConfig, type ConfigLocation } from '../cli-config.js'
import { createCliGateway } from '../cli-gateway.js'
import type { CliIo } from '../cli-io.js'
import { defaultPlugins } from '../default-plugins.js'
import { formatError } from '../format-error.js'
import { formatTable } from '../format-table.js'

export interface SkillsListOptions extends ConfigLocation {
  readonly json?: boolean
}

/**
 * `openclaw skills list`: the skills a turn can use: those plugins register and those in
 * `<stateDir>/skills` (JSON skills and SKILL.md folders). Invalid skill files are reported and skipped.
 */
export async function runSkillsList(options: SkillsListOptions, io: CliIo): Promise<void> {
  const config = loadCliConfig(options, io.env)
  const gateway = await createCliGateway(config, io, { plugins: defaultPlugins(), logLevel: configuredLogLevel(config, 'warn'), store: ':memory:' })
  const fromPlugins = gateway.registry.skills.keys().map((slug) => ({ skill: gateway.registry.skills.get(slug)!, owner: gateway.registry.skills.owner(slug)! }))
  const disk = loadSkillsDir(join(config.stateDir, 'skills'), (name) => gateway.registry.tools.get(name))
  await gateway.stop()
  const rows: { skill: SkillDefinition; source: string }[] = [
    ...fromPlugins.map(({ skill, owner }) => ({ skill, source: `plugin ${owner}` })),
    ...disk.skills.map((skill) => ({ skill, source: skill.source ?? 'skills folder' })),
  ]
  for (const err of disk.errors) io.stderr.write(formatError(err))
  if (options.json) {
    io.stdout.write(`${JSON.stringify(rows.map(({ skill, source }) => ({ slug: skill.slug, name: skill.name, description: skill.description, tools: (skill.tools ?? []).map((t) => t.name), source })), null, 2)}\n`)
    return
  }
  if (rows.length === 0) {
    io.stdout.write(`No skills: install a skill plugin, or put <slug>.json or <slug>/SKILL.md in ${join(config.stateDir, 'skills')}\n`)
    return
  }
  io.stdout.write(formatTable(['SLUG', 'NAME', 'TOOLS', 'SOURCE'], rows.map(({ skill, source }) => [skill.slug, skill.name, (skill.tools ?? []).map((t) => t.name).join(', ') || '-', source])))
}
