import { z } from 'zod'
import { timerMs, timerSeconds } from './timer-limits.js'
import { DEFAULT_RESET_AT_HOUR } from '../sessions/reset-policy.js'

const MIB = 1024 * 1024
export const DEFAULT_MAX_TRANSCRIPT_BYTES = 32 * MIB
export const DEFAULT_MAX_TOTAL_TRANSCRIPT_BYTES = 2048 * MIB

const SessionToolsVisibilitySchema = z.enum(['all', 'own'])

export const ThinkingLevelSchema = z.enum(['off', 'minimal', 'low', 'medium', 'high'])

const ToolPolicySchema = z.strictObject({
  /** Globs of tool names the agent may use; default all. */
  allow: z.array(z.string()).optional(),
  /** Globs of tool names the agent may not use; wins over `allow`. */
  deny: z.array(z.string()).optional(),
})

/** A model ref: `<providerId>/<modelId>`; the model id may hold more `/`. */
const ModelRefSchema = z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"')

/** An agent's heartbeat, run by the scheduler plugin (`cron`) as a system-owned job. */
export const HeartbeatSettingsSchema = z.strictObject({
  /** How often: `30m`, `1h`; `0m` (or unset) runs no recurring heartbeat. */
  every: z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$|^\d+$/, 'expected a duration such as 30m or 1h').optional(),
  /** The message each heartbeat turn is given (verbatim). */
  prompt: z.string().min(1).optional(),
  /** Where a heartbeat reply that is not `HEARTBEAT_OK`/`NO_REPLY` goes: `none` (default), `last`, or a channel id (with `to`). */
  target: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  accountId: z.string().min(1).optional(),
  timeoutSeconds: timerSeconds().positive().optional(),
})
export type HeartbeatSettings = z.infer<typeof HeartbeatSettingsSchema>

/** Settings an agent has; `agents.defaults` supplies what an entry leaves out. */
export const AgentSettingsSchema = z.strictObject({
  name: z.string().optional(),
  /** `provider/model`, e.g. `openai/gpt-4o-mini`; OpenClaw's `{ primary: "provider/model" }` is read the same. */
  model: z.union([ModelRefSchema, z.strictObject({ primary: ModelRefSchema }).transform((m) => m.primary)]).optional(),
  systemPrompt: z.string().optional(),
  tools: ToolPolicySchema.optional(),
  /** Skill slugs this agent may use; default all. */
  skills: z.array(z.string()).optional(),
  maxToolTurns: z.number().int().min(1).max(100).optional(),
  /** Becomes the run's timer, so it is capped at Node's timer limit. */
  timeoutSeconds: timerSeconds().positive().optional(),
  thinking: ThinkingLevelSchema.optional(),
  /** The agent's workspace folder (its `MEMORY.md` and `memory/`); default `<stateDir>/workspace`. */
  workspace: z.string().min(1).optional(),
  heartbeat: HeartbeatSettingsSchema.optional(),
})
export type AgentSettings = z.infer<typeof AgentSettingsSchema>

const AgentIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lowercase agent id (letters, digits, "-", "_")')

const PluginEntrySchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** A required plugin that fails stops the gateway from starting. */
  required: z.boolean().default(false),
  config: z.unknown().optional(),
})

const LooseSection = z.looseObject({})

/** A provider id: the key under `models.providers`, the part before `/` in a model ref. */
export const ProviderIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected a lowercase provider id (letters, digits, ".", "_", "-")')

/** One entry of `models.providers.<id>.models`: an id, or OpenClaw's model entry. */
const ModelEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    id: z.string().min(1),
    name: z.string().optional(),
    contextWindow: z.number().int().positive().optional(),
    contextTokens: z.number().int().positive().optional(),
    maxTokens: z.number().int().positive().optional(),
    reasoning: z.boolean().optional(),
    input: z.array(z.enum(['text', 'image'])).optional(),
    /** Accepted for OpenClaw configs; not used (no billing here). */
    cost: z.looseObject({}).optional(),
  }),
])

/**
 * `models.providers.<id>`: OpenClaw's provider entry. The fields every wire API shares are checked
 * here; the rest belong to the `api` adapter named by `api`, which validates them when the gateway
 * builds its providers (a field neither knows is an error naming its path).
 */
export const ProviderEntrySchema = z.looseObject({
  /** The wire API: `openai-completions`, `anthropic-messages`, … Default: the built-in provider's, else `openai-completions` when `baseUrl` is set. */
  api: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  apiKey: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The catalogue: when given, only these models of the provider may be used. */
  models: z.array(ModelEntrySchema).optional(),
  /** Output-token cap for models that set none. */
  maxTokens: z.number().int().positive().optional(),
  /** Give up a model call after this long without data. */
  timeoutSeconds: timerSeconds().positive().optional(),
})
export type ProviderEntry = z.output<typeof ProviderEntrySchema>

/**
 * The core's part of the config. Sections that plugins own (`gateway`, `hooks`, `channels.<id>`,
 * `models.providers.<id>`, `cron`) are open here and validated by the owning plugin's schema.
 */
export const CoreConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  gateway: LooseSection.default({}),
  hooks: LooseSection.default({}),
  agents: z
    .strictObject({
      defaults: AgentSettingsSchema.default({}),
      entries: z.record(AgentIdSchema, AgentSettingsSchema).default({}),
    })
    .default({ defaults: {}, entries: {} }),
  models: z
    .strictObject({
      /** OpenClaw's `merge | replace`; accepted, and the same here: there is no discovered catalogue to merge with. */
      mode: z.enum(['merge', 'replace']).optional(),
      /** Provider id → its entry; see {@link ProviderEntrySchema}. */
      providers: z.record(ProviderIdSchema, ProviderEntrySchema).default({}),
    })
    .default({ providers: {} }),
  /** Channel id → that channel plugin's settings. */
  channels: z.record(z.string(), LooseSection).default({}),
  plugins: z
    .strictObject({
      /** `false` loads no plugin from disk (plugins passed in code still load). */
      enabled: z.boolean().default(true),
      /** If set, only these plugin ids load. */
      allow: z.array(z.string()).optional(),
      /** These plugin ids never load; wins over everything. */
      deny: z.array(z.string()).default([]),
      load: z.strictObject({ paths: z.array(z.string()).default([]) }).default({ paths: [] }),
      entries: z.record(z.string(), PluginEntrySchema).default({}),
      /** How long each plugin's stop() may take before the gateway moves on. */
      stopTimeoutMs: timerMs().positive().default(12_000),
    })
    .default({ enabled: true, deny: [], load: { paths: [] }, entries: {}, stopTimeoutMs: 12_000 }),
  /** Where the state lives: SQLite under the state dir (one gateway), or PostgreSQL (several replicas). */
  storage: z
    .strictObject({
      /** Default: `postgres` when `OPENCLAW_DATABASE_URL` is set, else `sqlite`. */
      driver: z.enum(['sqlite', 'postgres']).optional(),
      postgres: z
        .strictObject({
          /** `postgres://user:password@host:5432/db`; `OPENCLAW_DATABASE_URL` when left out. Never logged with its password. */
          url: z.string().min(1).optional(),
          /** Connections this gateway opens (plus one for the cluster). */
          poolSize: z.number().int().min(1).max(1000).optional(),
          /** The schema the tables live in (created when missing): several clusters can share one database. */
          schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a plain SQL identifier (letters, digits, _)').optional(),
        })
        .optional(),
    })
    .prefault({}),
  cron: LooseSection.default({}),
  /** Memory search settings, validated by the memory plugin (`tool:memory`). */
  memory: LooseSection.default({}),
  session: z
    .strictObject({
      /** Runs allowed to wait behind the running one, per session. */
      maxQueue: z.number().int().min(0).default(16),
      /** How long finished runs are remembered for idempotency. */
      idempotencyTtlHours: z.number().positive().default(24),
      /** Channel direct chats: one session per channel and peer (default), per peer, per account, or the main one. */
      dmScope: z.enum(['main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer']).default('per-channel-peer'),
      /** Channel groups: one session per group (default), or the main one. */
      groupScope: z.enum(['per-group', 'main']).default('per-group'),
      /**
       * Channel messages that start with one of these words reset their session (after access control);
       * text after the word runs as the first turn of the fresh session. `[]` turns them off.
       */
      resetTriggers: z.array(z.string().regex(/^\S+$/, 'one word, without spaces')).default(['/new', '/reset']),
      /**
       * When a channel session starts over by itself, before its next channel run: `none` (default),
       * `daily` at `atHour` (the gateway host's local time) or `idle` after `idleMinutes` without a user
       * message (with `daily`, also `idleMinutes`: whichever expires first). Cron and hooks runs never count.
       */
      reset: z
        .strictObject({
          mode: z.enum(['none', 'daily', 'idle']).default('none'),
          atHour: z.number().int().min(0).max(23).default(DEFAULT_RESET_AT_HOUR),
          idleMinutes: z.number().positive().optional(),
        })
        .refine((reset) => reset.mode !== 'idle' || reset.idleMinutes !== undefined, { message: "mode 'idle' needs idleMinutes", path: ['idleMinutes'] })
        .prefault({}),
      /** Transcript bytes one session may hold; a run that would pass it is refused (413). */
      maxTranscriptBytes: z.number().int().positive().default(DEFAULT_MAX_TRANSCRIPT_BYTES),
      /** Transcript bytes all sessions may hold together; a run that would pass it is refused (413). */
      maxTotalTranscriptBytes: z.number().int().positive().default(DEFAULT_MAX_TOTAL_TRANSCRIPT_BYTES),
      /** What the session tools (`sessions_list`, `sessions_history`, `session_status`) may see. */
      tools: z
        .strictObject({
          /** `all` sessions, or only the caller's `own`. */
          visibility: SessionToolsVisibilitySchema.default('all'),
          /** The same, for sessions that webhooks created (origin channel `hooks`): their content is untrusted. */
          hooksVisibility: SessionToolsVisibilitySchema.default('own'),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Channel events accepted into the durable inbox (see docs/channels.md). */
  inbound: z
    .strictObject({
      /** How long an accepted event id is remembered for de-duplication (and its row kept). */
      dedupeWindowHours: z.number().positive().max(24 * 365).default(24),
      /** Events run at once, across sessions (one at a time per session). */
      concurrency: z.number().int().min(1).max(256).default(8),
      /** A claimed event whose worker died is handed out again after this long. */
      leaseMs: timerMs().min(1000).default(60_000),
      /** A busy session puts an event back for this long (it is never dropped). */
      busyRetryMs: timerMs().min(10).default(1000),
      /** At shutdown, how long runs in flight may take to finish before they are aborted (their events stay pending). */
      drainTimeoutMs: timerMs().min(0).default(10_000),
      /** Largest inbound media file fetched into the media store. */
      maxMediaBytes: z.number().int().positive().default(20 * 1024 * 1024),
    })
    .prefault({}),
  /**
   * OpenClaw's `messages.*` section; only `messages.inbound` (inbound batching) is implemented, and the
   * section is strict: another OpenClaw key (`messages.queue`, `messages.ackReaction`, …) is refused
   * with its path rather than silently ignored. See docs/configuration.md.
   */
  messages: z
    .strictObject({
      /** Inbound batching (docs/channels.md "Inbound batching"): quick text messages of one sender become one turn. */
      inbound: z
        .strictObject({
          /** The quiet window for every channel, in ms (`0`: off); default: each channel's own (Telegram 300, others 0). */
          debounceMs: timerMs().min(0).optional(),
          /** Channel id → its quiet window in ms; wins over `debounceMs` and the channel's default. */
          byChannel: z.record(z.string().min(1), timerMs().min(0)).default({}),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The delivery worker over the outbox. */
  delivery: z
    .strictObject({
      /** Attempts before a message goes to dead letters. */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /** First retry delay; doubles each attempt up to `maxDelayMs`, unless the channel says when (retry-after). */
      baseDelayMs: timerMs().min(1).default(500),
      maxDelayMs: timerMs().min(1).default(60_000),
      /** Sends at once, across chats (one at a time per chat). */
      concurrency: z.number().int().min(1).max(256).default(16),
      leaseMs: timerMs().min(1000).default(60_000),
      /** Sent (and dropped) rows are pruned after this long; dead letters stay until retried or dropped. */
      retentionHours: z.number().positive().max(24 * 365).default(72),
      /** How long `stop()` keeps sending due rows before it parks the rest for the next start. */
      flushTimeoutMs: timerMs().min(0).default(5000),
      /** May the `message` tool send to another channel than the conversation it answers? */
      crossChannel: z.boolean().default(false),
      /**
       * A send cut off after it began (the gateway crashed, or the connection broke after the request
       * went out) may have reached the chat. `resend` (default: at least once) sends it again and logs
       * a warning; `dead-letter` (at most once) makes it a dead letter instead, for an operator to
       * retry or drop. Channels whose sends are idempotent (webhooks) always resend.
       */
      inDoubt: z.enum(['resend', 'dead-letter']).default('resend'),
      /** Media given by URL is fetched by the gateway before it is sent (size-checked, sniffed, SSRF-guarded). */
      media: z
        .strictObject({
          /** Hosts whose URLs may resolve to private addresses (a media server on the LAN). */
          allowedHostnames: z.array(z.string().min(1)).default([]),
          /** For one fetch, redirects and body included; a timeout is retried like a failed send. */
          fetchTimeoutMs: timerMs().min(100).default(30_000),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Replies streamed to channels that can edit: a draft message updated at most every `throttleMs`. */
  streaming: z
    .strictObject({ enabled: z.boolean().default(true), throttleMs: timerMs().min(50).default(1000) })
    .prefault({}),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .default({ level: 'info' }),
})

/** The validated config, with defaults applied. */
export type GatewayConfig = z.output<typeof CoreConfigSchema>
/** The config as a user writes it. */
export type GatewayConfigInput = z.input<typeof CoreConfigSchema>
