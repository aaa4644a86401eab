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

/** Headers, or Node's raw `[name, value, name, value, …]`, as a redacted object (names lowercase). */
export function redactHeaders(headers: Headers | readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = (headers[i] as string).toLowerCase()
      const value = REDACTED.has(name) ? '[redacted]' : (headers[i + 1] as string)
      // Repeats join as Headers would join them.
      out[name] = out[name] === undefined || REDACTED.has(name) ? value : `${out[name]}, ${value}`
    }
    return out
  }
  ;(headers as Headers).forEach((value, name) => {
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

/**
 * What the hot path keeps of a request. Copying and redacting headers, parsing the body and
 * formatting the time cost about 5 % of the mock's throughput when done per request (CPU
 * profile in BENCHMARKS.md), while the journal is read rarely: so entries keep references and
 * `list()` does the work. Redaction still happens before anything leaves the process.
 */
export interface JournalRecord extends Omit<JournalEntry, 'id' | 'time' | 'headers' | 'body'> {
  timeMs: number
  /**
   * Node's `rawHeaders` array when served over HTTP (already there; keeping the request's
   * Headers instead would keep its whole IncomingMessage alive), else the request's Headers.
   */
  headers: Headers | readonly string[]
  bodyText: string | undefined
}

interface Kept {
  id: number
  record: JournalRecord
  /** Set when the body was too long to keep: already cut and redacted. */
  body?: unknown
}

/** A fixed-size ring buffer of the latest requests. */
export class Journal {
  readonly #entries: (Kept | undefined)[]
  #next = 0
  #seq = 0

  /** `secret` is redacted from journaled bodies when they are read out. */
  constructor(
    readonly capacity: number,
    private readonly secret: string,
  ) {
    this.#entries = new Array(capacity)
  }

  add(record: JournalRecord): void {
    this.#seq++
    if (this.capacity === 0) return
    // Cut oversized bodies now: keeping the text would pin the whole (up to maxBodyBytes) string.
    const big = record.bodyText !== undefined && record.bodyText.length > MAX_BODY_CHARS
    this.#entries[this.#next] = big
      ? {
          id: this.#seq,
          record: { ...record, bodyText: undefined },
          body: journalBody(record.bodyText, this.secret),
        }
      : { id: this.#seq, record }
    this.#next = (this.#next + 1) % this.capacity
  }

  /** Oldest first; `limit` keeps the newest ones. */
  list(limit?: number): JournalEntry[] {
    const kept: Kept[] = []
    for (let i = 0; i < this.capacity; i++) {
      const e = this.#entries[(this.#next + i) % this.capacity]
      if (e) kept.push(e)
    }
    const chosen = limit !== undefined && limit < kept.length ? kept.slice(kept.length - limit) : kept
    return chosen.map(({ id, record, body }) => {
      const { timeMs, headers, bodyText, ...rest } = record
      return {
        id,
        time: new Date(timeMs).toISOString(),
        ...rest,
        headers: redactHeaders(headers),
        body: body !== undefined ? body : journalBody(bodyText, this.secret),
      }
    })
  }

  get total(): number {
    return this.#seq
  }

  clear(): void {
    this.#entries.fill(undefined)
    this.#next = 0
  }
}
