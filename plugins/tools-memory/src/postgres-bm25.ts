/**
 * BM25 on PostgreSQL, computed as SQLite's FTS5 computes it, so both stores rank keyword matches
 * alike: for each query term t in a chunk d,
 *   idf(t) · tf(t,d) · (k1 + 1) / (tf(t,d) + k1 · (1 − b + b · |d| / avgdl)),   k1 = 1.2, b = 0.75,
 *   idf(t) = ln((N − n(t) + 0.5) / (n(t) + 0.5)), at least 1e-6,
 * negated (lower is better, as FTS5's `bm25()`). tf comes from the tsvector's positions, |d| from the
 * chunk's `tokens`, n(t) from the GIN index (a count per query term), and N and avgdl from
 * {@link CorpusStats}. PostgreSQL's own `ts_rank_cd` knows no idf and no length normalisation: it
 * put a long note that mentions a word twice above a short one about it.
 */
export const BM25_K1 = 1.2
export const BM25_B = 0.75

/**
 * Parameters: the query's words as one text (its lexemes are the terms), N, the agent, avgdl, the
 * tsquery to match, the agent, the limit.
 */
export const POSTGRES_BM25_SQL = `
  WITH terms AS (SELECT DISTINCT lexeme AS term FROM unnest(to_tsvector('simple', ?))),
  corpus AS (SELECT ?::float8 AS n),
  idf AS (
    SELECT counted.term, greatest(ln((greatest(corpus.n, counted.n) - counted.n + 0.5) / (counted.n + 0.5)), 1e-6) AS w
    FROM corpus, (
      SELECT t.term, (SELECT count(*) FROM memory_chunks d WHERE d.agent_id = ? AND d.tsv @@ to_tsquery('simple', quote_literal(t.term)))::float8 AS n
      FROM terms t
    ) counted
  ),
  avg AS (SELECT greatest(?::float8, 1) AS dl)
  SELECT c.id, -(
    SELECT coalesce(sum(idf.w * cardinality(u.positions) * ${BM25_K1 + 1} / (cardinality(u.positions) + ${BM25_K1} * (1 - ${BM25_B} + ${BM25_B} * c.tokens / avg.dl))), 0)
    FROM unnest(c.tsv) u JOIN idf ON idf.term = u.lexeme
  ) AS bm25
  FROM memory_chunks c, avg
  WHERE c.tsv @@ to_tsquery('simple', ?) AND c.agent_id = ?
  ORDER BY 2, c.id
  LIMIT ?`

/** Corpus size and mean chunk length (in tokens) of one agent's index, BM25's N and avgdl. */
export interface CorpusStats {
  readonly chunks: number
  readonly avgTokens: number
}

/** How long a replica reuses its {@link CorpusStats} (a cache: other replicas' writes show after this). */
export const CORPUS_STATS_TTL_MS = 30_000
