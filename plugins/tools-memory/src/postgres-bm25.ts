/**
 * BM25 on PostgreSQL, computed as SQLite's FTS5 computes it, so both stores rank keyword matches
 * alike: for each query term t in a chunk d,
 *   idf(t) · tf(t,d) · (k1 + 1) / (tf(t,d) + k1 · (1 − b + b · |d| / avgdl)),   k1 = 1.2, b = 0.75,
 *   idf(t) = ln((N − n(t) + 0.5) / (n(t) + 0.5)), at least 1e-6,
 * negated (lower is better, as FTS5's `bm25()`). |d| is the chunk's `tokens`; n(t) comes from the
 * GIN index, N and avgdl from a count over the agent's chunks (both cached per replica, see
 * MemoryIndexStore). PostgreSQL's own `ts_rank_cd` knows no idf and no length normalisation: it put
 * a long note that mentions a word twice above a short one about it.
 *
 * tf(t,d) without unnesting the tsvector (`unnest(tsv)` cost 80 µs a row: a second for a word in
 * 20,000 chunks): `ts_rank` of a one-lexeme query with every weight 1 is Σ_{j=1..tf} 1/j² / ζ(2)
 * (tsrank.c, calc_rank_or), whose tail ζ(2) − Σ_{j≤tf} 1/j² is 1/(tf + ½) to within 1/(12 tf³); so
 * tf = round(1 / (ζ(2) − ζ(2)·ts_rank) − ½), exact up to the 255 positions a tsvector keeps per
 * lexeme (a test checks it against unnest), and 0 where the term is absent.
 */
export const BM25_K1 = 1.2
export const BM25_B = 0.75
const ZETA2 = Math.PI ** 2 / 6

/** At most this many query terms are scored (the match itself takes up to 32 words). */
export const BM25_MAX_TERMS = 32

/** How often a one-lexeme query (a `'word'` literal parameter) occurs in `c.tsv`. */
const TERM_FREQUENCY = `round(1 / (${ZETA2} - ts_rank('{1,1,1,1}', c.tsv, to_tsquery('simple', ?)) * ${ZETA2}) - 0.5)`

/**
 * The keyword query for `terms` scored terms. Parameters: each term's idf, avgdl, each term as a
 * tsquery literal (`'word'`), the tsquery to match, the agent, the limit.
 */
export function postgresBm25Sql(terms: number): string {
  const score = Array.from({ length: terms }, (_, i) => `?::float8 * ${BM25_K1 + 1} * m.tf${i} / (m.tf${i} + m.k)`).join(' + ')
  const tfs = Array.from({ length: terms }, (_, i) => `${TERM_FREQUENCY} AS tf${i}`).join(', ')
  // OFFSET 0 keeps the inner query whole, so each ts_rank runs once a row, not once per use.
  return `SELECT m.id, -(${score || '0'}) AS bm25 FROM (
      SELECT c.id, ${BM25_K1} * (${1 - BM25_B} + ${BM25_B} * c.tokens / greatest(?::float8, 1)) AS k${tfs ? `, ${tfs}` : ''}
      FROM memory_chunks c
      WHERE c.tsv @@ to_tsquery('simple', ?) AND c.agent_id = ?
      OFFSET 0
    ) m
    ORDER BY 2, m.id
    LIMIT ?`
}

/** FTS5's idf: ln((N − n + 0.5) / (n + 0.5)), at least 1e-6 (a word in half the chunks or more). */
export function bm25Idf(chunks: number, containing: number): number {
  const n = Math.min(containing, chunks)
  return Math.max(Math.log((chunks - n + 0.5) / (n + 0.5)), 1e-6)
}

/** The lexemes PostgreSQL's parser makes of a query's words (tokenize()'s words, split at `_`). */
export function queryLexemes(words: readonly string[]): string[] {
  return [...new Set(words.flatMap((w) => w.split('_')).filter((w) => w !== ''))].slice(0, BM25_MAX_TERMS)
}

/** An agent's corpus statistics for BM25: N, avgdl and the n(t) asked for so far. */
export interface CorpusStats {
  readonly chunks: number
  readonly avgTokens: number
  readonly containing: Map<string, number>
}

/** How long a replica reuses its {@link CorpusStats} (a cache: other replicas' writes show after this). */
export const CORPUS_STATS_TTL_MS = 30_000
