import type { CliIo } from '../cli-io.js'
import { formatTable } from '../format-table.js'
import type { GatewayConnectionOptions } from '../gateway-connection.js'
import { withGateway } from '../with-gateway.js'

export interface ModelsListOptions extends GatewayConnectionOptions {
  /** Only this provider's models. */
  readonly provider?: string
  /** Tag this agent's model as its default. */
  readonly agent?: string
  readonly json?: boolean
}

/** `models.list`'s answer (OpenClaw's shape). */
interface ModelsPage {
  readonly models: readonly {
    readonly id: string
    readonly name: string
    readonly provider: string
    readonly contextWindow?: number
    readonly input?: readonly string[]
    readonly tags?: readonly string[]
  }[]
}

function formatContext(tokens: number | undefined): string {
  if (tokens === undefined) return '-'
  return tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens)
}

function formatModels(page: ModelsPage): string {
  if (page.models.length === 0) return 'No models found: list them under models.providers.<id>.models.\n'
  const rows = page.models.map((m) => [`${m.provider}/${m.id}`, m.name, m.input?.join('+') ?? 'text', formatContext(m.contextWindow), (m.tags ?? []).join(',')])
  return formatTable(['MODEL', 'NAME', 'INPUT', 'CTX', 'TAGS'], rows)
}

/** `openclaw models list`: the running gateway's model catalogue (`--json`: the `models.list` answer). */
export async function runModelsList(options: ModelsListOptions, io: CliIo): Promise<void> {
  const params = { ...(options.agent !== undefined ? { agentId: options.agent } : {}), ...(options.provider !== undefined ? { provider: options.provider } : {}) }
  const page = await withGateway(options, io, (client) => client.call<ModelsPage>('models.list', params))
  io.stdout.write(options.json ? `${JSON.stringify(page, null, 2)}\n` : formatModels(page))
}
