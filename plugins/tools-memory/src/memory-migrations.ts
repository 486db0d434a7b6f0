import type { Migration } from '@openclaw/plugin-sdk'

/**
 * The plugin's tables, in the portable subset (epoch ms as BIGINT, ON CONFLICT … DO UPDATE). The
 * FTS5 table is SQLite's keyword index; its rowid is the chunk's id.
 */
export const MEMORY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'memory index',
    up: `
      CREATE TABLE memory_files (
        agent_id TEXT NOT NULL,
        path TEXT NOT NULL,
        hash TEXT NOT NULL,
        mtime_ms BIGINT NOT NULL,
        chunks INTEGER NOT NULL,
        indexed_at BIGINT NOT NULL,
        PRIMARY KEY (agent_id, path)
      );
      CREATE TABLE memory_chunks (
        id INTEGER PRIMARY KEY,
        agent_id TEXT NOT NULL,
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        hash TEXT NOT NULL,
        text TEXT NOT NULL,
        model TEXT,
        vector BLOB,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX memory_chunks_path ON memory_chunks (agent_id, path);
      CREATE TABLE memory_keys (
        agent_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        metadata TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (agent_id, key)
      );
      CREATE TABLE memory_meta (
        agent_id TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (agent_id, name)
      );
      CREATE VIRTUAL TABLE memory_fts USING fts5(text, tokenize = 'unicode61');
    `,
  },
]
