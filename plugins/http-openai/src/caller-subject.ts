import { createHmac, randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { putFileWhole } from '@openclaw/plugin-sdk/files'

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

/**
 * The install's subject key from `<stateDir>/{@link SUBJECT_KEY_FILE}`, created (32 random bytes, 0600)
 * on first use. Replicas sharing a state dir and starting together agree on one key: the file appears
 * whole (temp file, then a hard link), never empty or half-written, so nobody takes a racing
 * writer's file for a corrupt one and replaces it (which gave two replicas two keys, and one
 * idempotency key two runs).
 */
export function loadSubjectKey(stateDir: string): Buffer {
  const path = join(stateDir, SUBJECT_KEY_FILE)
  const existing = readKey(path)
  if (existing) return existing
  mkdirSync(stateDir, { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  const content = `${key.toString('hex')}\n`
  if (putFileWhole(path, content, { replace: false })) return key
  // Another start wrote one first: use it. A corrupt file is replaced, and the key is what the file holds then.
  const raced = readKey(path)
  if (raced) return raced
  putFileWhole(path, content, { replace: true })
  return readKey(path) ?? key
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
