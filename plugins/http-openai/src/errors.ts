import { createError } from '@openclaw/plugin-sdk'

// Every code this plugin throws. Each key equals its code; docs/openai-compatible.md lists them.
// Clients see them as `error.code` in OpenAI's error shape. Retired codes are never reused; list them
// here when one goes:
// (none retired yet)

/** A request field is missing, has the wrong type or is out of range. The field is the error's `param`. */
export const OAI_ERR_INVALID_PARAM = createError<'OAI_ERR_INVALID_PARAM', [param: string, reason: string]>(
  'OAI_ERR_INVALID_PARAM', "Invalid '%s': %s", 400)
/** The body is not a JSON object. */
export const OAI_ERR_INVALID_BODY = createError<'OAI_ERR_INVALID_BODY', [reason: string]>(
  'OAI_ERR_INVALID_BODY', 'Invalid request body: %s', 400)
/** Neither a user message nor tool results to answer. */
export const OAI_ERR_MISSING_USER_MESSAGE = createError<'OAI_ERR_MISSING_USER_MESSAGE', [field: string]>(
  'OAI_ERR_MISSING_USER_MESSAGE', 'Missing user message in `%s`.', 400)
/** `model` names no OpenClaw agent target. */
export const OAI_ERR_MODEL_INVALID = createError<'OAI_ERR_MODEL_INVALID', [model: string, accepted: string]>(
  'OAI_ERR_MODEL_INVALID', "Model '%s' is not an OpenClaw agent target. Use %s", 400)
/** The selected agent is not configured. */
export const OAI_ERR_AGENT_UNKNOWN = createError<'OAI_ERR_AGENT_UNKNOWN', [agentId: string, known: string]>(
  'OAI_ERR_AGENT_UNKNOWN', "Agent '%s' is not configured (configured agents: %s)", 400)
/** `x-openclaw-session-key` is in a namespace HTTP callers may not use. */
export const OAI_ERR_SESSION_KEY_RESERVED = createError<'OAI_ERR_SESSION_KEY_RESERVED', [key: string, namespace: string]>(
  'OAI_ERR_SESSION_KEY_RESERVED', "Session key '%s' is in the reserved namespace '%s'", 400)
/** `previous_response_id` is unknown, expired, or made by another caller or in another scope (`user`, session header): 404, as OpenAI answers. */
export const OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND = createError<'OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND', [responseId: string]>(
  'OAI_ERR_PREVIOUS_RESPONSE_NOT_FOUND', "Previous response with id '%s' not found.", 404)
/** `previous_response_id` ran on another agent than the one the request selects. */
export const OAI_ERR_PREVIOUS_RESPONSE_MISMATCH = createError<'OAI_ERR_PREVIOUS_RESPONSE_MISMATCH', [responseId: string, reason: string]>(
  'OAI_ERR_PREVIOUS_RESPONSE_MISMATCH', "Previous response '%s' cannot be continued here: %s", 400)
/** `tool_choice` was `required` or named a tool, and the model answered without calling it. */
export const OAI_ERR_TOOL_CHOICE_UNSATISFIED = createError<'OAI_ERR_TOOL_CHOICE_UNSATISFIED', [choice: string]>(
  'OAI_ERR_TOOL_CHOICE_UNSATISFIED', 'The model did not call a tool although tool_choice was %s', 502)
/** `GET /v1/models/:id` for an id that is not listed. */
export const OAI_ERR_MODEL_NOT_FOUND = createError<'OAI_ERR_MODEL_NOT_FOUND', [model: string]>(
  'OAI_ERR_MODEL_NOT_FOUND', "The model '%s' does not exist", 404)
/** A handler failed in a way no other code describes; the log has the cause. */
export const OAI_ERR_INTERNAL = createError<'OAI_ERR_INTERNAL', [reason: string]>(
  'OAI_ERR_INTERNAL', 'Internal error: %s', 500)
/** `POST /v1/embeddings` without `x-openclaw-model`, for an agent with no embedding model (`memory.search.provider`). */
export const OAI_ERR_EMBEDDINGS_UNCONFIGURED = createError<'OAI_ERR_EMBEDDINGS_UNCONFIGURED', [agentId: string]>(
  'OAI_ERR_EMBEDDINGS_UNCONFIGURED', "Agent '%s' has no embedding model: set memory.search.provider and memory.search.model, or send x-openclaw-model: provider/model", 400)
/** `x-openclaw-model` names a provider that has no embeddings call (Anthropic's, for one). */
export const OAI_ERR_EMBEDDINGS_UNSUPPORTED = createError<'OAI_ERR_EMBEDDINGS_UNSUPPORTED', [provider: string]>(
  'OAI_ERR_EMBEDDINGS_UNSUPPORTED', "Provider '%s' does not serve embeddings", 400)
