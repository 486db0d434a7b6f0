import { createError } from '@openclaw/plugin-sdk'

// Every code the memory plugin (`tool:memory`) throws. Each key equals its code; docs/memory.md
// explains them. Retired codes are never reused; list them here when one goes:
// (none retired yet)

/** `memory_get` was asked for a path outside the memory files: `../`, an absolute path, a symlink out, or not Markdown. */
export const MEM_ERR_PATH_REFUSED = createError<'MEM_ERR_PATH_REFUSED', [path: string, reason: string]>(
  'MEM_ERR_PATH_REFUSED', "Path '%s' is not a memory file: %s", 403)
/** A key for `memory_store`/`memory_delete` that is empty, too long, or has control characters. */
export const MEM_ERR_KEY_INVALID = createError<'MEM_ERR_KEY_INVALID', [reason: string]>(
  'MEM_ERR_KEY_INVALID', 'Invalid memory key: %s', 400)
/** The indexer worker thread failed or exited; the previous index keeps answering searches. */
export const MEM_ERR_INDEXER_FAILED = createError<'MEM_ERR_INDEXER_FAILED', [reason: string]>(
  'MEM_ERR_INDEXER_FAILED', 'Memory indexing failed: %s', 500)
/** The embeddings endpoint answered with an error or an unexpected body. */
export const MEM_ERR_EMBEDDINGS_FAILED = createError<'MEM_ERR_EMBEDDINGS_FAILED', [reason: string]>(
  'MEM_ERR_EMBEDDINGS_FAILED', 'Embedding request failed: %s', 502)
/** `memory.status`, `memory.index` or `memory.search` named an agent the gateway does not have. */
export const MEM_ERR_AGENT_UNKNOWN = createError<'MEM_ERR_AGENT_UNKNOWN', [agentId: string, known: string]>(
  'MEM_ERR_AGENT_UNKNOWN', "Unknown agent '%s' (agents: %s)", 404)
