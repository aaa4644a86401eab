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
 * What the hot path hands the journal. Copying and redacting headers, parsing the body and
 * formatting the time cost about 5 % of the mock's throughput when done per request (CPU
 * profile in BENCHMARKS.md), while the journal is read rarely: so `add` keeps raw material and
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

// Numbers per slot in #num.
const ID = 0
const TIME = 1
const HTTP = 2
const STATUS = 3 // NaN for null
const DURATION = 4
const NUMS = 5
// Strings per slot in #str.
const REQUEST_ID = 0
const METHOD = 1
const PATH = 2
const HEADERS = 3 // name\nvalue\nname\nvalue… (a header value cannot hold a newline)
const BODY = 4
const STRS = 5

function flatHeaders(headers: Headers | readonly string[]): string {
  if (Array.isArray(headers)) return headers.join('\n')
  const parts: string[] = []
  ;(headers as Headers).forEach((value, name) => {
    parts.push(name, value)
  })
  return parts.join('\n')
}

/**
 * A fixed-size ring buffer of the latest requests, kept as flat arrays. A ring of 1000 objects
 * per request outlived V8's young generation at a few thousand req/s: every entry (an object,
 * a header array and its strings) was promoted, scavenges grew to 2–3 ms and mark-compacts
 * came every ~2 s, which set the mock's p99 (journal 0 vs 1000: p99 7–9 vs 10–11 ms, pinned).
 * Here an entry is numbers in a Float64Array plus five strings, one of them the joined headers.
 */
export class Journal {
  readonly #num: Float64Array
  readonly #str: (string | undefined)[]
  readonly #forced: (string | null)[]
  /** 1 where BODY already holds the cut, redacted text of an oversized body. */
  readonly #cut: Uint8Array
  #next = 0
  #seq = 0
  #size = 0

  /** `secret` is redacted from journaled bodies when they are read out. */
  constructor(
    readonly capacity: number,
    private readonly secret: string,
  ) {
    this.#num = new Float64Array(capacity * NUMS)
    this.#str = new Array(capacity * STRS).fill(undefined)
    this.#forced = new Array(capacity).fill(null)
    this.#cut = new Uint8Array(capacity)
  }

  add(record: JournalRecord): void {
    this.#seq++
    if (this.capacity === 0) return
    const slot = this.#next
    const n = slot * NUMS
    const s = slot * STRS
    this.#num[n + ID] = this.#seq
    this.#num[n + TIME] = record.timeMs
    this.#num[n + HTTP] = record.httpStatus
    this.#num[n + STATUS] = record.status ?? Number.NaN
    this.#num[n + DURATION] = record.durationMs
    this.#str[s + REQUEST_ID] = record.requestId
    this.#str[s + METHOD] = record.method
    this.#str[s + PATH] = record.path
    this.#str[s + HEADERS] = flatHeaders(record.headers)
    // Cut oversized bodies now: keeping the text would pin the whole (up to maxBodyBytes) string.
    const big = record.bodyText !== undefined && record.bodyText.length > MAX_BODY_CHARS
    this.#str[s + BODY] = big ? (journalBody(record.bodyText, this.secret) as string) : record.bodyText
    this.#cut[slot] = big ? 1 : 0
    this.#forced[slot] = record.forced
    this.#next = (slot + 1) % this.capacity
    if (this.#size < this.capacity) this.#size++
  }

  /** Oldest first; `limit` keeps the newest ones. */
  list(limit?: number): JournalEntry[] {
    const count = limit !== undefined && limit < this.#size ? limit : this.#size
    const out: JournalEntry[] = []
    for (let k = count; k > 0; k--) {
      const slot = (this.#next - k + this.capacity) % this.capacity
      const n = slot * NUMS
      const s = slot * STRS
      const status = this.#num[n + STATUS] as number
      const bodyText = this.#str[s + BODY]
      out.push({
        id: this.#num[n + ID] as number,
        time: new Date(this.#num[n + TIME] as number).toISOString(),
        requestId: this.#str[s + REQUEST_ID] as string,
        method: this.#str[s + METHOD] as string,
        path: this.#str[s + PATH] as string,
        headers: redactHeaders((this.#str[s + HEADERS] as string).split('\n')),
        body: this.#cut[slot] === 1 ? bodyText : journalBody(bodyText, this.secret),
        httpStatus: this.#num[n + HTTP] as number,
        status: Number.isNaN(status) ? null : status,
        forced: this.#forced[slot] ?? null,
        durationMs: this.#num[n + DURATION] as number,
      })
    }
    return out
  }

  get total(): number {
    return this.#seq
  }

  clear(): void {
    this.#str.fill(undefined)
    this.#forced.fill(null)
    this.#next = 0
    this.#size = 0
  }
}
