/**
 * Portable `?` placeholders to PostgreSQL's `$1…$n`, in order. A `?` inside a string literal
 * (`'…'`, `E'…'`, `$tag$…$tag$`), a quoted identifier or a comment is text, not a placeholder.
 * PostgreSQL's jsonb operators `?`, `?|` and `?&` cannot be written in portable SQL: use
 * `jsonb_exists()` and friends. Returns the SQL and how many placeholders it has.
 */
export function numberPlaceholders(sql: string): { sql: string; count: number } {
  let out = ''
  let count = 0
  let from = 0
  let i = 0
  const n = sql.length
  while (i < n) {
    const c = sql[i]!
    if (c === '?') {
      out += sql.slice(from, i) + '$' + String(++count)
      from = ++i
    } else if (c === "'") {
      // E'…' strings take backslash escapes; '' is a quote in both kinds.
      const escapes = i > 0 && (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentifierChar(sql[i - 2])
      i++
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2
        else if (sql[i] === "'") {
          if (sql[i + 1] === "'") i += 2
          else break
        } else i++
      }
      i++
    } else if (c === '"') {
      i = sql.indexOf('"', i + 1)
      i = i < 0 ? n : i + 1
    } else if (c === '-' && sql[i + 1] === '-') {
      i = sql.indexOf('\n', i)
      i = i < 0 ? n : i + 1
    } else if (c === '/' && sql[i + 1] === '*') {
      i = sql.indexOf('*/', i + 2)
      i = i < 0 ? n : i + 2
    } else if (c === '$' && !isIdentifierChar(sql[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length)
        i = end < 0 ? n : end + tag[0].length
      } else i++
    } else i++
  }
  return { sql: count === 0 ? sql : out + sql.slice(from), count }
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c)
}
