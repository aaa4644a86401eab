import { redactSecrets } from './faults.js'

/** One journaled request. Secrets never enter: Sign is redacted, the body is the client's own. */
export interface JournalEntry {
  id: number
  time: string
  /** Also sent as the `X-Request-Id` response header, so a client error can be found here. */
  requestId: string
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
  httpStatus: number
  status: number | null
  forced: string | null
  durationMs: number
}

/** Headers whose values are credentials in all but name. */
const REDACTED = new Set(['sign', 'authorization', 'cookie', 'proxy-authorization'])
const MAX_BODY_CHARS = 4096

export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name] = REDACTED.has(name.toLowerCase()) ? '[redacted]' : value
  })
  return out
}

/** Parsed JSON when it is, otherwise the text, cut to keep the journal bounded. */
export function journalBody(text: string | undefined, secret: string): unknown {
  if (text === undefined || text === '') return null
  let cut = text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…[${text.length} chars]` : text
  // A client that pastes its secret or a Sign into a body must not see it echoed by
  // /__admin/requests: the same redaction as reasons get.
  cut = redactSecrets(cut, secret)
  if (text.length > MAX_BODY_CHARS) return cut
  try {
    return JSON.parse(cut)
  } catch {
    return cut
  }
}

/** A fixed-size ring buffer of the latest requests. */
export class Journal {
  readonly #entries: (JournalEntry | undefined)[]
  #next = 0
  #seq = 0

  constructor(readonly capacity: number) {
    this.#entries = new Array(capacity)
  }

  add(entry: Omit<JournalEntry, 'id'>): void {
    this.#seq++
    if (this.capacity === 0) return
    this.#entries[this.#next] = { id: this.#seq, ...entry }
    this.#next = (this.#next + 1) % this.capacity
  }

  /** Oldest first; `limit` keeps the newest ones. */
  list(limit?: number): JournalEntry[] {
    const out: JournalEntry[] = []
    for (let i = 0; i < this.capacity; i++) {
      const e = this.#entries[(this.#next + i) % this.capacity]
      if (e) out.push(e)
    }
    return limit !== undefined && limit < out.length ? out.slice(out.length - limit) : out
  }

  get total(): number {
    return this.#seq
  }

  clear(): void {
    this.#entries.fill(undefined)
    this.#next = 0
  }
}
