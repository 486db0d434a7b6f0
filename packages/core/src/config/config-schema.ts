import { z } from 'zod'
import { timerMs, timerSeconds } from './timer-limits.js'

export const ThinkingLevelSchema = z.enum(['off', 'minimal', 'low', 'medium', 'high'])

const ToolPolicySchema = z.strictObject({
  /** Globs of tool names the agent may use; default all. */
  allow: z.array(z.string()).optional(),
  /** Globs of tool names the agent may not use; wins over `allow`. */
  deny: z.array(z.string()).optional(),
})

/** Settings an agent has; `agents.defaults` supplies what an entry leaves out. */
export const AgentSettingsSchema = z.strictObject({
  name: z.string().optional(),
  /** `provider/model`, e.g. `openai/gpt-4o-mini`. */
  model: z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model"').optional(),
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
      /** Provider id → that provider plugin's settings. */
      providers: z.record(z.string(), LooseSection).default({}),
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
  cron: LooseSection.default({}),
  /** Memory search settings, validated by the memory plugin (`tool:memory`). */
  memory: LooseSection.default({}),
  session: z
    .strictObject({
      /** Runs allowed to wait behind the running one, per session. */
      maxQueue: z.number().int().min(0).default(16),
      /** How long finished runs are remembered for idempotency. */
      idempotencyTtlHours: z.number().positive().default(24),
    })
    .default({ maxQueue: 16, idempotencyTtlHours: 24 }),
  logging: z
    .strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .default({ level: 'info' }),
})

/** The validated config, with defaults applied. */
export type GatewayConfig = z.output<typeof CoreConfigSchema>
/** The config as a user writes it. */
export type GatewayConfigInput = z.input<typeof CoreConfigSchema>
