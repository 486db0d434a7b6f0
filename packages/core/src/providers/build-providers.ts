import type { ProviderEntry } from '../config/config-schema.js'
import { formatIssues } from '../config/format-issues.js'
import type { EmbeddingRequest, ModelApi, ModelInfo, ModelProvider } from '../types/providers.js'

/** The fields of a provider entry the core reads itself; everything else is the adapter's. */
const COMMON_FIELDS = new Set(['api', 'baseUrl', 'apiKey', 'headers', 'models', 'maxTokens', 'timeoutSeconds'])

/** The wire API a provider with a `baseUrl` and no `api` speaks, as in OpenClaw. */
export const DEFAULT_MODEL_API = 'openai-completions'

export interface BuildProvidersInput {
  /** `models.providers`, as the core schema parsed it. */
  readonly entries: Readonly<Record<string, ProviderEntry>>
  /** Every registered adapter, with the plugin that registered it. */
  readonly adapters: readonly { readonly owner: string; readonly adapter: ModelApi }[]
  /** Provider ids registered directly with `api.providers.register()` (id → plugin). */
  readonly registered: ReadonlyMap<string, string>
  /** Provider ids whose entry is a plugin's own config section (`configKey`): left to that plugin. */
  readonly claimed: ReadonlySet<string>
  /** Where built-in providers read their API key (`OPENAI_API_KEY`…), on every call. */
  readonly env: NodeJS.ProcessEnv
}

export interface BuiltProvider {
  /** The plugin whose adapter made it. */
  readonly owner: string
  readonly provider: ModelProvider
  /** Set for a built-in provider: what to warn about when it has no key. */
  readonly builtin?: { readonly baseUrl: string; readonly apiKeyEnv?: string }
  readonly baseUrl: string | undefined
  readonly apiKey: () => string | undefined
}

export interface BuildProvidersResult {
  readonly providers: readonly BuiltProvider[]
  /** Config problems, one line each, naming the path: the gateway refuses to start with any. */
  readonly problems: readonly string[]
  /** Things to log (a deprecated key). */
  readonly warnings: readonly string[]
}

function toModelInfo(entry: NonNullable<ProviderEntry['models']>[number]): ModelInfo {
  if (typeof entry === 'string') return { id: entry }
  const { cost: _cost, ...info } = entry
  return info
}

/**
 * One model provider per `models.providers.<id>` entry, made by the adapter its `api` names, plus the
 * adapters' built-in providers (`openai`, `anthropic`) that have no entry. Collects every problem
 * (unknown `api`, fields no one reads, a duplicate id) instead of stopping at the first.
 */
export function buildProviders(input: BuildProvidersInput): BuildProvidersResult {
  const problems: string[] = []
  const warnings: string[] = []
  const providers: BuiltProvider[] = []
  const byApi = new Map(input.adapters.map((a) => [a.adapter.api, a]))
  const builtins = new Map<string, { api: string; baseUrl: string; apiKeyEnv?: string }>()
  for (const { adapter } of input.adapters) for (const b of adapter.builtins ?? []) if (!builtins.has(b.id)) builtins.set(b.id, { api: adapter.api, ...b })
  const known = () => [...byApi.keys()].sort().join(', ') || 'none: no provider plugin is installed'

  // Our earlier shape `models.providers.<id>.extra.<other>`: each one is a provider of its own, speaking the parent's API.
  const entries: [id: string, entry: ProviderEntry, path: string][] = []
  for (const [id, entry] of Object.entries(input.entries)) {
    const { extra, ...rest } = entry as ProviderEntry & { extra?: unknown }
    entries.push([id, extra === undefined ? entry : (rest as ProviderEntry), `models.providers.${id}`])
    if (extra === undefined) continue
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
      problems.push(`models.providers.${id}.extra: expected an object of providers; better, move each one to models.providers.<id>`)
      continue
    }
    warnings.push(`models.providers.${id}.extra is deprecated: move each provider to models.providers.<id> (with "api")`)
    const api = entry.api ?? builtins.get(id)?.api ?? DEFAULT_MODEL_API
    for (const [other, settings] of Object.entries(extra as Record<string, unknown>)) {
      if (input.entries[other] !== undefined) problems.push(`models.providers.${id}.extra.${other}: provider '${other}' is also configured at models.providers.${other}`)
      else entries.push([other, { api, ...(settings as ProviderEntry) }, `models.providers.${id}.extra.${other}`])
    }
  }

  const configured = new Set(entries.map(([id]) => id))
  for (const [id, b] of builtins) {
    if (configured.has(id) || input.claimed.has(id) || input.registered.has(id)) continue
    const { owner, adapter } = byApi.get(b.api)!
    const entryFree = { api: b.api } as ProviderEntry
    const built = create(id, entryFree, `models.providers.${id}`, owner, adapter, b)
    if (built) providers.push(built)
  }

  for (const [id, entry, path] of entries) {
    if (input.claimed.has(id)) continue
    const builtin = builtins.get(id)
    const api = entry.api ?? builtin?.api ?? (entry.baseUrl !== undefined ? DEFAULT_MODEL_API : undefined)
    if (api === undefined) {
      problems.push(`${path}.api: required for a provider that is not built in (set "api", or a "baseUrl" for ${DEFAULT_MODEL_API}; known APIs: ${known()})`)
      continue
    }
    const found = byApi.get(api)
    if (!found) {
      problems.push(`${path}.api: unknown API "${api}" (known: ${known()})`)
      continue
    }
    const owner = input.registered.get(id)
    if (owner !== undefined) {
      problems.push(`${path}: provider '${id}' is already registered by plugin '${owner}'`)
      continue
    }
    const built = create(id, entry, path, found.owner, found.adapter, builtin?.api === api ? builtin : undefined)
    if (built) providers.push(built)
  }
  return { providers, problems, warnings }

  function create(id: string, entry: ProviderEntry, at: string, owner: string, adapter: ModelApi, builtin: { baseUrl: string; apiKeyEnv?: string } | undefined): BuiltProvider | undefined {
    const path = at.split('.')
    const rest: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(entry)) if (!COMMON_FIELDS.has(key)) rest[key] = value
    let options: unknown = undefined
    if (adapter.options) {
      const parsed = adapter.options.safeParse(rest)
      if (!parsed.success) {
        problems.push(...formatIssues(parsed.error.issues, rest, path))
        return undefined
      }
      options = parsed.data
    } else if (Object.keys(rest).length > 0) {
      problems.push(`${path.join('.')}: unknown field(s) ${Object.keys(rest).map((k) => `"${k}"`).join(', ')} for API "${adapter.api}"`)
      return undefined
    }
    const configKey = entry.apiKey
    const env = builtin?.apiKeyEnv
    const apiKey = configKey !== undefined ? () => configKey : env !== undefined ? () => input.env[env] || undefined : () => undefined
    const models = entry.models?.map(toModelInfo)
    const baseUrl = entry.baseUrl ?? builtin?.baseUrl
    let made: ModelProvider
    try {
      made = adapter.create({
        id,
        baseUrl,
        apiKey,
        headers: entry.headers,
        models,
        maxTokens: entry.maxTokens,
        timeoutMs: entry.timeoutSeconds !== undefined ? Math.round(entry.timeoutSeconds * 1000) : undefined,
        options,
      })
    } catch (err) {
      problems.push(`${path.join('.')}: ${err instanceof Error ? err.message : String(err)}`)
      return undefined
    }
    // The core's id and catalogue, whatever the adapter put on its object.
    const provider: ModelProvider = {
      id,
      ...(models !== undefined ? { models } : {}),
      stream: (request) => made.stream(request),
      ...(made.embed ? { embed: (request: EmbeddingRequest) => made.embed!(request) } : {}),
    }
    return { owner, provider, baseUrl, apiKey, ...(builtin ? { builtin } : {}) }
  }
}
