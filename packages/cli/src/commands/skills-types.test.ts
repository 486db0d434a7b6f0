import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { captureIo } from '../capture-io.js'
import { runCli } from '../run-cli.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openclaw-cli-skills-'))
  mkdirSync(join(dir, 'skills'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

const weather = {
  slug: 'weather',
  name: 'Weather',
  description: 'Looks up the weather',
  prompt: 'Use get_forecast for weather questions.',
  tools: [{ name: 'get_forecast', description: 'Forecast for a city', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } }],
}

describe('openclaw skills types', () => {
  it('should write <out>/<slug>.d.ts for each JSON skill and say so', async () => {
    writeFileSync(join(dir, 'skills', 'weather.json'), JSON.stringify(weather))
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'skills', 'types', '--state-dir', dir], io)).toBe(0)
    const target = join(dir, 'skills', 'types', 'weather.d.ts')
    expect(stdout()).toBe(`wrote ${target} (1 tool)\n`)
    const types = readFileSync(target, 'utf8')
    expect(types).toContain('export interface GetForecastArgs')
    expect(types).toMatch(/city: string/)
    expect(types).toMatch(/days\?: number/)
  })

  it('should report invalid files by path and field, exit 1, and still write the valid ones', async () => {
    writeFileSync(join(dir, 'skills', 'weather.json'), JSON.stringify(weather))
    writeFileSync(join(dir, 'skills', 'broken.json'), JSON.stringify({ ...weather, slug: 'Bad Slug', prompt: '' }))
    writeFileSync(join(dir, 'skills', 'garbage.json'), '{ not json')
    const out = join(dir, 'generated')
    const { io, stdout, stderr } = captureIo()
    expect(await runCli(['node', 'openclaw', 'skills', 'types', '--state-dir', dir, '--out', out], io)).toBe(1)
    expect(existsSync(join(out, 'weather.d.ts'))).toBe(true)
    expect(stdout()).toContain('weather.d.ts')
    expect(stderr()).toContain(`error [CORE_ERR_SKILL_INVALID]: Skill '${join(dir, 'skills', 'broken.json')}' is invalid`)
    expect(stderr()).toMatch(/- slug: expected a lowercase slug/)
    expect(stderr()).toMatch(/- prompt: /)
    expect(stderr()).toContain(`Skill '${join(dir, 'skills', 'garbage.json')}' is invalid`)
  })

  it('should say so when there are no JSON skills', async () => {
    const { io, stdout } = captureIo()
    expect(await runCli(['node', 'openclaw', 'skills', 'types', '--state-dir', dir], io)).toBe(0)
    expect(stdout()).toBe(`No JSON skills in ${join(dir, 'skills')}\n`)
  })
})
