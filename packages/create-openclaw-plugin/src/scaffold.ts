import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CREATE_ERR_DIR_IS_FILE, CREATE_ERR_DIR_NOT_EMPTY, CREATE_ERR_FROM_INVALID } from './errors.js'
import { OPENCLAW_RANGE, PLUGIN_API_RANGE, TOOL_VERSIONS } from './versions.js'
import { assertNpmName, assertPluginId, shortName, type PluginKind } from './validate-names.js'

export interface ScaffoldOptions {
  readonly kind: PluginKind
  /** npm package name. */
  readonly name: string
  /** Plugin id, e.g. `tool:weather`. */
  readonly id: string
  /** Target folder (created if missing). */
  readonly dir: string
  /** Write into a non-empty folder. */
  readonly force?: boolean
  /** Package name → install spec (`file:…tgz`) for `@openclaw/*` packages, from `--from`. */
  readonly from?: ReadonlyMap<string, string>
}

export interface ScaffoldResult {
  readonly dir: string
  /** Files written, relative to `dir`. */
  readonly files: readonly string[]
}

const TEMPLATES = fileURLToPath(new URL('../templates/', import.meta.url))

/** The `@openclaw/*` packages a generated project installs for development, by kind. */
export function devPackages(kind: PluginKind): string[] {
  return ['@openclaw/core', '@openclaw/plugin-sdk', ...(kind === 'channel' ? ['@openclaw/plugin-http-server'] : [])]
}

function packageJson(options: ScaffoldOptions): Record<string, unknown> {
  const { kind, name, from } = options
  const spec = (pkg: string) => from?.get(pkg) ?? OPENCLAW_RANGE
  const dev: Record<string, string> = Object.fromEntries(devPackages(kind).map((pkg) => [pkg, spec(pkg)]))
  Object.assign(dev, {
    '@types/node': TOOL_VERSIONS['@types/node'],
    tsup: TOOL_VERSIONS.tsup,
    typescript: TOOL_VERSIONS.typescript,
    vitest: TOOL_VERSIONS.vitest,
    ...(kind === 'skill' ? { 'json-schema-to-typescript': TOOL_VERSIONS['json-schema-to-typescript'] } : {}),
  })
  const gen = kind === 'skill' ? 'npm run gen && ' : ''
  return {
    name,
    version: '0.1.0',
    description: `An OpenClaw ${kind} plugin`,
    type: 'module',
    license: 'MIT',
    keywords: ['openclaw', 'openclaw-plugin', `openclaw-${kind}`],
    engines: { node: '>=20.19' },
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist', 'openclaw.plugin.json', ...(kind === 'skill' ? ['skills'] : [])],
    scripts: {
      ...(kind === 'skill' ? { gen: 'node scripts/gen-skill-types.mjs' } : {}),
      build: `${gen}tsup && openclaw-plugin-manifest`,
      test: 'vitest run',
      typecheck: `${gen}tsc --noEmit`,
    },
    // The gateway provides the SDK (and the core behind it): one copy, shared with the host.
    peerDependencies: { '@openclaw/plugin-sdk': OPENCLAW_RANGE },
    dependencies: { zod: TOOL_VERSIONS.zod },
    devDependencies: Object.fromEntries(Object.entries(dev).sort(([a], [b]) => a.localeCompare(b))),
  }
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/__([A-Z_]+?)__/g, (whole, key: string) => values[key] ?? whole)
}

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** Check the target: missing, empty, or `force`. */
export function checkTargetDir(dir: string, force: boolean | undefined): void {
  if (!existsSync(dir)) return
  if (!statSync(dir).isDirectory()) throw new CREATE_ERR_DIR_IS_FILE(dir)
  if (!force && readdirSync(dir).length > 0) throw new CREATE_ERR_DIR_NOT_EMPTY(dir)
}

/** Write a new plugin project from `templates/plugin-<kind>`. Validates everything before writing anything. */
export function scaffold(options: ScaffoldOptions): ScaffoldResult {
  assertNpmName(options.name)
  assertPluginId(options.id)
  const dir = resolve(options.dir)
  checkTargetDir(dir, options.force)
  if (options.from) {
    const missing = devPackages(options.kind).filter((pkg) => !options.from!.has(pkg))
    if (missing.length > 0) throw new CREATE_ERR_FROM_INVALID([...new Set(options.from.values())].join(','), `no tarball of ${missing.join(', ')} (a ${options.kind} plugin needs it)`)
  }
  const short = shortName(options.name)
  const values = {
    PACKAGE_NAME: options.name,
    PLUGIN_ID: options.id,
    SHORT_NAME: short,
    IDENT: short.replace(/-/g, '_'),
    ERR_PREFIX: short.replace(/-/g, '_').toUpperCase(),
    API_RANGE: PLUGIN_API_RANGE,
  }
  const files: string[] = []
  mkdirSync(dir, { recursive: true })
  // Files every kind shares (tsconfig, tsup config, .gitignore), then the kind's own.
  const sources = [join(TEMPLATES, 'shared'), join(TEMPLATES, `plugin-${options.kind}`)]
  for (const [source, file] of sources.flatMap((source) => walk(source).map((file) => [source, file] as const))) {
    const rel = fill(relative(source, file), values).replace(/(^|[\\/])_gitignore$/, '$1.gitignore')
    const target = join(dir, rel)
    mkdirSync(join(target, '..'), { recursive: true })
    writeFileSync(target, fill(readFileSync(file, 'utf8'), values))
    if (!files.includes(rel)) files.push(rel)
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson(options), null, 2)}\n`)
  files.push('package.json')
  return { dir, files: files.sort() }
}
