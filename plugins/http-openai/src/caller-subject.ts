import { createHmac, randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The per-install secret that keys caller subjects (mode 0600, in the state dir). */
export const SUBJECT_KEY_FILE = 'http-openai.subject.key'
/** Subjects of the credentials seen last: a gateway has a handful, and one HMAC costs more than the lookup. */
const RECENT_SUBJECTS = 64

function readKey(path: string): Buffer | undefined {
  try {
    const hex = readFileSync(path, 'utf8').trim()
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined
  } catch {
    return undefined
  }
}

/** The install's subject key from `<stateDir>/{@link SUBJECT_KEY_FILE}`, created (32 random bytes, 0600) on first use. */
export function loadSubjectKey(stateDir: string): Buffer {
  const path = join(stateDir, SUBJECT_KEY_FILE)
  const existing = readKey(path)
  if (existing) return existing
  mkdirSync(stateDir, { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  try {
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
    return key
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err
    // Another start wrote one first, or the file is corrupt: use or replace it.
    const raced = readKey(path)
    if (raced) return raced
    writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600 })
    chmodSync(path, 0o600)
    return key
  }
}

/**
 * Who is calling, as stored with response ids and idempotency keys: an HMAC-SHA256 of the presented
 * credential under a per-install secret, never a plain hash (which anyone holding the database could
 * test guesses against, offline). `anonymous` without a credential.
 */
export class CallerSubjects {
  readonly #recent = new Map<string, string>()

  constructor(private readonly key: () => Buffer) {}

  of(headers: IncomingHttpHeaders): string {
    const value = headers.authorization
    const auth = (Array.isArray(value) ? value[0] : value)?.trim()
    if (!auth) return 'anonymous'
    let subject = this.#recent.get(auth)
    if (subject === undefined) {
      const token = auth.replace(/^bearer\s+/i, '').trim()
      subject = createHmac('sha256', this.key()).update(token).digest('hex')
      if (this.#recent.size >= RECENT_SUBJECTS) this.#recent.delete(this.#recent.keys().next().value!)
      this.#recent.set(auth, subject)
    }
    return subject
  }
}
