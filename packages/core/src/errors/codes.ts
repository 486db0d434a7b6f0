import { createError } from './create-error.js'

// Every code the core throws. Each key equals its code, and docs/errors.md lists it (a test keeps the
// three in sync). Retired codes are never reused; list them here when one goes:
// (none retired yet)

// ── config ────────────────────────────────────────────────────────────────────────────────────────
export const CORE_ERR_CONFIG_NOT_FOUND = createError<'CORE_ERR_CONFIG_NOT_FOUND', [path: string]>(
  'CORE_ERR_CONFIG_NOT_FOUND', "Config file '%s' does not exist")
export const CORE_ERR_CONFIG_PARSE = createError<'CORE_ERR_CONFIG_PARSE', [path: string, reason: string]>(
  'CORE_ERR_CONFIG_PARSE', "Config file '%s' is not valid JSON5: %s")
export const CORE_ERR_CONFIG_ENV_MISSING = createError<'CORE_ERR_CONFIG_ENV_MISSING', [variable: string, path: string]>(
  'CORE_ERR_CONFIG_ENV_MISSING', "Environment variable '%s' is not set (referenced at config path '%s')")
export const CORE_ERR_CONFIG_INVALID = createError<'CORE_ERR_CONFIG_INVALID', [details: string]>(
  'CORE_ERR_CONFIG_INVALID', 'Invalid config:\n%s')

// ── plugins ───────────────────────────────────────────────────────────────────────────────────────
export const CORE_ERR_PLUGIN_INVALID = createError<'CORE_ERR_PLUGIN_INVALID', [source: string, reason: string]>(
  'CORE_ERR_PLUGIN_INVALID', "Plugin from '%s' is not a valid plugin: %s")
export const CORE_ERR_PLUGIN_MANIFEST_INVALID = createError<'CORE_ERR_PLUGIN_MANIFEST_INVALID', [path: string, reason: string]>(
  'CORE_ERR_PLUGIN_MANIFEST_INVALID', "Plugin manifest '%s' is invalid: %s")
export const CORE_ERR_PLUGIN_DUPLICATE = createError<'CORE_ERR_PLUGIN_DUPLICATE', [plugin: string, first: string, second: string]>(
  'CORE_ERR_PLUGIN_DUPLICATE', "Plugin '%s' is provided twice: by %s and by %s")
export const CORE_ERR_PLUGIN_DEPENDENCY_MISSING = createError<'CORE_ERR_PLUGIN_DEPENDENCY_MISSING', [plugin: string, dependency: string]>(
  'CORE_ERR_PLUGIN_DEPENDENCY_MISSING', "Plugin '%s' requires '%s', which is not installed")
export const CORE_ERR_PLUGIN_DEPENDENCY_DISABLED = createError<'CORE_ERR_PLUGIN_DEPENDENCY_DISABLED', [plugin: string, dependency: string]>(
  'CORE_ERR_PLUGIN_DEPENDENCY_DISABLED', "Plugin '%s' requires '%s', which is disabled by config")
export const CORE_ERR_PLUGIN_DEPENDENCY_CYCLE = createError<'CORE_ERR_PLUGIN_DEPENDENCY_CYCLE', [cycle: string]>(
  'CORE_ERR_PLUGIN_DEPENDENCY_CYCLE', 'Plugin dependencies form a cycle: %s')
export const CORE_ERR_PLUGIN_DEPENDENCY_FAILED = createError<'CORE_ERR_PLUGIN_DEPENDENCY_FAILED', [plugin: string, dependency: string]>(
  'CORE_ERR_PLUGIN_DEPENDENCY_FAILED', "Plugin '%s' was not started because its dependency '%s' failed")
export const CORE_ERR_PLUGIN_API_VERSION = createError<'CORE_ERR_PLUGIN_API_VERSION', [plugin: string, range: string, apiVersion: string]>(
  'CORE_ERR_PLUGIN_API_VERSION', "Plugin '%s' needs plugin API %s, but this core provides %s")
export const CORE_ERR_PLUGIN_CONFIG_INVALID = createError<'CORE_ERR_PLUGIN_CONFIG_INVALID', [plugin: string, details: string]>(
  'CORE_ERR_PLUGIN_CONFIG_INVALID', "Invalid config for plugin '%s':\n%s")
export const CORE_ERR_PLUGIN_ENTRY_LOAD = createError<'CORE_ERR_PLUGIN_ENTRY_LOAD', [plugin: string, entry: string]>(
  'CORE_ERR_PLUGIN_ENTRY_LOAD', "Plugin '%s' could not be loaded from '%s'")
export const CORE_ERR_PLUGIN_REGISTER_FAILED = createError<'CORE_ERR_PLUGIN_REGISTER_FAILED', [plugin: string, reason: string]>(
  'CORE_ERR_PLUGIN_REGISTER_FAILED', "Plugin '%s' failed in register(): %s")
export const CORE_ERR_PLUGIN_REGISTER_ASYNC = createError<'CORE_ERR_PLUGIN_REGISTER_ASYNC', [plugin: string]>(
  'CORE_ERR_PLUGIN_REGISTER_ASYNC', "Plugin '%s' returned a promise from register(); register() must be synchronous, move async work to start()")
export const CORE_ERR_PLUGIN_START_FAILED = createError<'CORE_ERR_PLUGIN_START_FAILED', [plugin: string, reason: string]>(
  'CORE_ERR_PLUGIN_START_FAILED', "Plugin '%s' failed in start(): %s")
export const CORE_ERR_PLUGIN_STOP_FAILED = createError<'CORE_ERR_PLUGIN_STOP_FAILED', [plugin: string, reason: string]>(
  'CORE_ERR_PLUGIN_STOP_FAILED', "Plugin '%s' failed in stop(): %s")
export const CORE_ERR_PLUGIN_STOP_TIMEOUT = createError<'CORE_ERR_PLUGIN_STOP_TIMEOUT', [plugin: string, timeoutMs: number]>(
  'CORE_ERR_PLUGIN_STOP_TIMEOUT', "Plugin '%s' did not stop within %d ms")
export const CORE_ERR_PLUGIN_REQUIRED_FAILED = createError<'CORE_ERR_PLUGIN_REQUIRED_FAILED', [plugin: string, reason: string]>(
  'CORE_ERR_PLUGIN_REQUIRED_FAILED', "Required plugin '%s' failed, so the gateway cannot start: %s")
export const CORE_ERR_PLUGIN_API_CLOSED = createError<'CORE_ERR_PLUGIN_API_CLOSED', [plugin: string, method: string]>(
  'CORE_ERR_PLUGIN_API_CLOSED', "Plugin '%s' called %s after register() returned; register everything synchronously in register()")

export const CORE_ERR_HTTP_GUARD_UNKNOWN = createError<'CORE_ERR_HTTP_GUARD_UNKNOWN', [route: string, guard: string, known: string]>(
  'CORE_ERR_HTTP_GUARD_UNKNOWN', "HTTP route '%s' asks for guard '%s', which no plugin registered (known guards: %s)")
export const CORE_ERR_HTTP_GUARD_RESERVED = createError<'CORE_ERR_HTTP_GUARD_RESERVED', [plugin: string, guard: string]>(
  'CORE_ERR_HTTP_GUARD_RESERVED', "Plugin '%s' cannot register HTTP guard '%s': the HTTP server implements it")

// ── registries, hooks, services ──────────────────────────────────────────────────────────────────
export const CORE_ERR_REGISTRY_DUPLICATE = createError<'CORE_ERR_REGISTRY_DUPLICATE', [kind: string, id: string, owner: string, existingOwner: string]>(
  'CORE_ERR_REGISTRY_DUPLICATE', "%s '%s' from plugin '%s' is already registered by plugin '%s'")
export const CORE_ERR_HOOK_TAP_FAILED = createError<'CORE_ERR_HOOK_TAP_FAILED', [hook: string, plugin: string, reason: string]>(
  'CORE_ERR_HOOK_TAP_FAILED', "Hook '%s' failed in a tap of plugin '%s': %s")
export const CORE_ERR_SERVICE_NOT_REGISTERED = createError<'CORE_ERR_SERVICE_NOT_REGISTERED', [token: string, hint: string]>(
  'CORE_ERR_SERVICE_NOT_REGISTERED', "Service '%s' is not registered. %s")
export const CORE_ERR_SERVICE_DISPOSED = createError<'CORE_ERR_SERVICE_DISPOSED', [scope: string]>(
  'CORE_ERR_SERVICE_DISPOSED', "The service container of '%s' is disposed")

// ── store ────────────────────────────────────────────────────────────────────────────────────────
export const CORE_ERR_STORE_OPEN = createError<'CORE_ERR_STORE_OPEN', [path: string]>(
  'CORE_ERR_STORE_OPEN', "Cannot open the state database '%s'")
export const CORE_ERR_STORE_MIGRATION = createError<'CORE_ERR_STORE_MIGRATION', [owner: string, version: number, name: string]>(
  'CORE_ERR_STORE_MIGRATION', "Migration %s#%d (%s) failed; the database was left as it was before it")
export const CORE_ERR_STATE_DIR_LOCKED = createError<'CORE_ERR_STATE_DIR_LOCKED', [stateDir: string, pid: number, since: string]>(
  'CORE_ERR_STATE_DIR_LOCKED',
  "State directory '%s' is in use by another OpenClaw process (pid %d, since %s): stop it first, or use another state directory. To talk to a running gateway, leave out --local")
export const CORE_ERR_STORE_OWNER = createError<'CORE_ERR_STORE_OWNER', [owner: string]>(
  'CORE_ERR_STORE_OWNER', "Store owner '%s' is invalid: use letters, digits, '-', '_' or ':'")
export const CORE_ERR_STORE_LOCK_TIMEOUT = createError<'CORE_ERR_STORE_LOCK_TIMEOUT', [waitedMs: number]>(
  'CORE_ERR_STORE_LOCK_TIMEOUT',
  'Waited %d ms for the state database while a transaction held it: inside store.transaction(fn), query through its tx, never through the store')
export const CORE_ERR_STORE_TX_CLOSED = createError<'CORE_ERR_STORE_TX_CLOSED', [state: string]>(
  'CORE_ERR_STORE_TX_CLOSED', 'This transaction cannot be used: %s')
export const CORE_ERR_STORE_DIALECT = createError<'CORE_ERR_STORE_DIALECT', [what: string, dialect: string]>(
  'CORE_ERR_STORE_DIALECT', '%s has no SQL for the %s dialect')
export const CORE_ERR_STORE_EXTENSION = createError<'CORE_ERR_STORE_EXTENSION', [extension: string]>(
  'CORE_ERR_STORE_EXTENSION', "Cannot load the database extension '%s'")
export const CORE_ERR_STORE_CLOSED = createError<'CORE_ERR_STORE_CLOSED', [location: string]>(
  'CORE_ERR_STORE_CLOSED', "The state database '%s' is closed")

// ── cluster (several replicas on one PostgreSQL) ─────────────────────────────────────────────────
export const CORE_ERR_CLUSTER_SINGLETON_DUPLICATE = createError<'CORE_ERR_CLUSTER_SINGLETON_DUPLICATE', [name: string]>(
  'CORE_ERR_CLUSTER_SINGLETON_DUPLICATE', "Cluster singleton '%s' is already registered on this replica")

// ── gateway lifecycle ────────────────────────────────────────────────────────────────────────────
export const CORE_ERR_GATEWAY_STATE = createError<'CORE_ERR_GATEWAY_STATE', [action: string, state: string]>(
  'CORE_ERR_GATEWAY_STATE', "Cannot %s a gateway that is %s")

// ── sessions and agent runs ──────────────────────────────────────────────────────────────────────
export const CORE_ERR_SESSION_KEY_INVALID = createError<'CORE_ERR_SESSION_KEY_INVALID', [key: string, reason: string]>(
  'CORE_ERR_SESSION_KEY_INVALID', "Session key '%s' is invalid: %s", 400)
export const CORE_ERR_SESSION_AGENT_MISMATCH = createError<'CORE_ERR_SESSION_AGENT_MISMATCH', [key: string, agentId: string]>(
  'CORE_ERR_SESSION_AGENT_MISMATCH', "Session key '%s' belongs to another agent than the requested agent '%s'", 400)
export const CORE_ERR_SESSION_BUSY = createError<'CORE_ERR_SESSION_BUSY', [key: string, limit: number]>(
  'CORE_ERR_SESSION_BUSY', "Session '%s' is busy: %d runs are already waiting; retry later", 429)
export const CORE_ERR_AGENT_UNKNOWN = createError<'CORE_ERR_AGENT_UNKNOWN', [agentId: string, known: string]>(
  'CORE_ERR_AGENT_UNKNOWN', "Agent '%s' is not configured (configured agents: %s)", 400)
export const CORE_ERR_RUN_INVALID = createError<'CORE_ERR_RUN_INVALID', [reason: string]>(
  'CORE_ERR_RUN_INVALID', 'Invalid agent run request: %s', 400)
export const CORE_ERR_NO_PROVIDER = createError<'CORE_ERR_NO_PROVIDER', [model: string]>(
  'CORE_ERR_NO_PROVIDER',
  "No model provider is configured, so model '%s' cannot be called. Install a provider plugin and configure it, e.g. models.providers.openai = { baseUrl, apiKey } with agents.defaults.model = \"openai/gpt-4o-mini\" (see docs/configuration.md)",
  503)
export const CORE_ERR_PROVIDER_UNKNOWN = createError<'CORE_ERR_PROVIDER_UNKNOWN', [provider: string, model: string, available: string]>(
  'CORE_ERR_PROVIDER_UNKNOWN', "Model provider '%s' (for model '%s') is not installed; installed providers: %s", 503)
export const CORE_ERR_MODEL_UNKNOWN = createError<'CORE_ERR_MODEL_UNKNOWN', [model: string, provider: string, listed: string]>(
  'CORE_ERR_MODEL_UNKNOWN', "Model '%s' is not listed under provider '%s' (models.providers.<id>.models lists: %s)", 400)
export const CORE_ERR_MODEL_FAILED = createError<'CORE_ERR_MODEL_FAILED', [model: string, reason: string]>(
  'CORE_ERR_MODEL_FAILED', "Model '%s' failed: %s", 502)
export const CORE_ERR_RUN_TIMEOUT = createError<'CORE_ERR_RUN_TIMEOUT', [timeoutMs: number]>(
  'CORE_ERR_RUN_TIMEOUT', 'The run did not finish within %d ms', 504)
export const CORE_ERR_RUN_ABORTED = createError<'CORE_ERR_RUN_ABORTED', [reason: string]>(
  'CORE_ERR_RUN_ABORTED', 'The run was aborted: %s', 499)
export const CORE_ERR_RUN_SUPERSEDED = createError<'CORE_ERR_RUN_SUPERSEDED', [runId: string]>(
  'CORE_ERR_RUN_SUPERSEDED', "Run '%s' no longer holds its idempotency key: another replica took the turn over; its writes were refused", 409)
export const CORE_ERR_TOOL_RESULT_UNMATCHED = createError<'CORE_ERR_TOOL_RESULT_UNMATCHED', [toolCallId: string, pending: string]>(
  'CORE_ERR_TOOL_RESULT_UNMATCHED', "Tool result for call '%s' answers no tool call the session is waiting for (waiting for: %s)", 400)
export const CORE_ERR_TRANSCRIPT_TOO_LARGE = createError<'CORE_ERR_TRANSCRIPT_TOO_LARGE', [key: string, bytes: number, limit: number]>(
  'CORE_ERR_TRANSCRIPT_TOO_LARGE',
  "Session '%s' would hold %d bytes of transcript with this message, over session.maxTranscriptBytes (%d): reset the session or use a new one", 413)
export const CORE_ERR_TRANSCRIPTS_FULL = createError<'CORE_ERR_TRANSCRIPTS_FULL', [bytes: number, limit: number]>(
  'CORE_ERR_TRANSCRIPTS_FULL',
  'Transcripts would hold %d bytes in total with this message, over session.maxTotalTranscriptBytes (%d): delete or reset old sessions', 413)
export const CORE_ERR_RUN_TURN_LIMIT = createError<'CORE_ERR_RUN_TURN_LIMIT', [turns: number]>(
  'CORE_ERR_RUN_TURN_LIMIT', 'The model kept calling tools after %d tool turns; the run was stopped', 500)

// ── tools and skills ─────────────────────────────────────────────────────────────────────────────
export const CORE_ERR_TOOL_UNKNOWN = createError<'CORE_ERR_TOOL_UNKNOWN', [tool: string]>(
  'CORE_ERR_TOOL_UNKNOWN', "Tool '%s' does not exist", 404)
export const CORE_ERR_TOOL_DENIED = createError<'CORE_ERR_TOOL_DENIED', [tool: string, reason: string]>(
  'CORE_ERR_TOOL_DENIED', "Tool '%s' is not allowed: %s", 404)
export const CORE_ERR_TOOL_INVALID_ARGS = createError<'CORE_ERR_TOOL_INVALID_ARGS', [tool: string, details: string]>(
  'CORE_ERR_TOOL_INVALID_ARGS', "Invalid arguments for tool '%s':\n%s", 400)
export const CORE_ERR_TOOL_FAILED = createError<'CORE_ERR_TOOL_FAILED', [tool: string, reason: string]>(
  'CORE_ERR_TOOL_FAILED', "Tool '%s' failed: %s", 500)
export const CORE_ERR_TOOL_TIMEOUT = createError<'CORE_ERR_TOOL_TIMEOUT', [tool: string, timeoutMs: number]>(
  'CORE_ERR_TOOL_TIMEOUT', "Tool '%s' did not finish within %d ms", 504)
export const CORE_ERR_SKILL_INVALID = createError<'CORE_ERR_SKILL_INVALID', [path: string, details: string]>(
  'CORE_ERR_SKILL_INVALID', "Skill '%s' is invalid and was skipped:\n%s")

// ── channels and delivery ────────────────────────────────────────────────────────────────────────
export const CORE_ERR_CHANNEL_UNKNOWN = createError<'CORE_ERR_CHANNEL_UNKNOWN', [channel: string, installed: string]>(
  'CORE_ERR_CHANNEL_UNKNOWN', "Channel '%s' is not installed (installed channels: %s)", 400)
export const CORE_ERR_DELIVERY_FAILED = createError<'CORE_ERR_DELIVERY_FAILED', [channel: string, to: string, reason: string]>(
  'CORE_ERR_DELIVERY_FAILED', "Delivery to %s:%s failed for good: %s", 502)
export const CORE_ERR_EVENT_INVALID = createError<'CORE_ERR_EVENT_INVALID', [channel: string, details: string]>(
  'CORE_ERR_EVENT_INVALID', "Channel '%s' handed accept() an event that is not valid: %s", 400)
export const CORE_ERR_INBOUND_CLOSED = createError<'CORE_ERR_INBOUND_CLOSED'>(
  'CORE_ERR_INBOUND_CLOSED', 'The gateway is stopping and accepts no more inbound events; the sender should retry later', 503)
export const CORE_ERR_INBOUND_UNROUTABLE = createError<'CORE_ERR_INBOUND_UNROUTABLE', [reason: string]>(
  'CORE_ERR_INBOUND_UNROUTABLE', 'The event cannot be routed to an agent: %s', 400)
export const CORE_ERR_DELIVERY_UNKNOWN = createError<'CORE_ERR_DELIVERY_UNKNOWN', [deliveryKey: string, state: string]>(
  'CORE_ERR_DELIVERY_UNKNOWN', "No dead letter has the delivery key '%s'%s", 404)
export const CORE_ERR_MEDIA_TOO_LARGE = createError<'CORE_ERR_MEDIA_TOO_LARGE', [name: string, size: number, limit: number]>(
  'CORE_ERR_MEDIA_TOO_LARGE', "Media '%s' is %d bytes, over the limit of %d bytes", 413)
export const CORE_ERR_MEDIA_UNSUPPORTED = createError<'CORE_ERR_MEDIA_UNSUPPORTED', [channel: string, details: string]>(
  'CORE_ERR_MEDIA_UNSUPPORTED', "Channel '%s' cannot send this media: %s", 400)
export const CORE_ERR_MEDIA_FETCH = createError<'CORE_ERR_MEDIA_FETCH', [source: string, reason: string]>(
  'CORE_ERR_MEDIA_FETCH', 'Media from %s could not be read: %s', 502)
export const CORE_ERR_MEDIA_URL_BLOCKED = createError<'CORE_ERR_MEDIA_URL_BLOCKED', [url: string, reason: string]>(
  'CORE_ERR_MEDIA_URL_BLOCKED', "Media URL '%s' is blocked: %s (allow its host in delivery.media.allowedHostnames)", 400)
export const CORE_ERR_PAIRING_UNKNOWN = createError<'CORE_ERR_PAIRING_UNKNOWN', [channel: string, code: string]>(
  'CORE_ERR_PAIRING_UNKNOWN', "No pending pairing request on channel '%s' has the code '%s' (codes expire after an hour)", 404)
