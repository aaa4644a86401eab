import { redactSensitiveJson, redactSensitiveText } from '@laaffic-kit/protocol'
import { redactJson, redactPath, redactSecrets, type Secrets } from './faults.js'

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
export function redactHeaders(
  headers: Headers | readonly string[],
  secret: Secrets = '',
): Record<string, string> {
  // No prototype: a header named `constructor` or `__proto__` is just a header.
  const out: Record<string, string> = Object.create(null)
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      // Any header, not just the credential ones, may carry the secret or a Sign (X-Api-Secret…).
      const name = redactSecrets((headers[i] as string).toLowerCase(), secret)
      const value = REDACTED.has(name) ? '[redacted]' : (headers[i + 1] as string)
      // Repeats join as Headers would join them.
      out[name] = out[name] === undefined || REDACTED.has(name) ? value : `${out[name]}, ${value}`
    }
  } else {
    ;(headers as Headers).forEach((value, name) => {
      const shown = redactSecrets(name, secret)
      out[shown] = REDACTED.has(name.toLowerCase()) ? '[redacted]' : value
    })
  }
  // Values after joining: a secret such as "ab, cd" can be split over two repeats.
  for (const name of Object.keys(out)) out[name] = redactSecrets(out[name] as string, secret)
  return out
}

/** Parsed JSON when it is, otherwise the text, cut to keep the journal bounded. */
export function journalBody(text: string | undefined, secret: Secrets): unknown {
  if (text === undefined || text === '') return null
  // A client that pastes its secret or a Sign into a body must not see it echoed by
  // /__admin/requests: the same redaction as reasons get. Before the cut, or a secret that
  // straddles it would survive in part; and again after parsing, or a JSON escape
  // ("7bz1lzh\u0039") would hide it from the text and bring it back in the value.
  const clean = redactSecrets(text, secret)
  // Text that is not shown parsed (too long, or not JSON): \uXXXX escapes are decoded for the
  // check, so an escaped secret or "pass\u0077ord" key is caught too (the text shows them decoded).
  const asText = () => {
    const decoded = clean.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
    return redactSensitiveText(redactSecrets(decoded, secret))
  }
  if (text.length > MAX_BODY_CHARS) return `${asText().slice(0, MAX_BODY_CHARS)}…[${text.length} chars]`
  try {
    // Seat passwords and phone numbers too: the journal is read by people and pasted into issues.
    return redactSensitiveJson(redactJson(JSON.parse(clean), secret))
  } catch {
    return asText()
  }
}

/**
 * What the hot path hands the journal. Copying and redacting headers, parsing the body and
 * formatting the time cost ~4.5 % of the mock's CPU when done per request (redactHeaders
 * 3.45 % + journalBody 1.1 % inclusive in the 01:47 profile), while the journal is read rarely: so `add` keeps raw material and
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
const START = 5 // absolute arena position of the slot's text
const TEXT_BYTES = 6 // requestId \n headers (name\nvalue\n…): neither can hold a newline
const BODY_BYTES = 7 // -1: no body
const NUMS = 8

/** Arena bytes per entry (the average a request's text may take before older ones are dropped). */
export const JOURNAL_BYTES_PER_ENTRY = 2048
const ARENA_MIN = 256 * 1024
const ARENA_MAX = 64 * 1024 * 1024

const utf8 = new TextEncoder()
// ignoreBOM: a body that starts with U+FEFF must be shown as sent (the mock rejected it as JSON).
const fromUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })

function flatHeaders(headers: Headers | readonly string[]): string {
  if (Array.isArray(headers)) return headers.join('\n')
  const parts: string[] = []
  ;(headers as Headers).forEach((value, name) => {
    parts.push(name, value)
  })
  return parts.join('\n')
}

/**
 * A fixed-size ring buffer of the latest requests that keeps no per-request object alive.
 * A ring of 1000 objects (or even just their strings) outlived V8's young generation at a few
 * thousand req/s: everything in it was promoted, scavenges grew and mark-compacts came every
 * ~2 s, which set the mock's p99 (journal 0 vs 1000: p99 7–9 vs 10–11 ms; keeping only the
 * strings: still 10). So numbers go into a Float64Array and text is UTF-8 in a byte arena of
 * {@link JOURNAL_BYTES_PER_ENTRY} per entry, at least 256 KiB and at most 64 MiB (so above
 * 32,768 entries the share per entry shrinks: 67 B each at 1,000,000). An entry whose text
 * newer ones have overwritten is left out of `list()`; `total` still counts it.
 */
export class Journal {
  readonly #num: Float64Array
  /**
   * Method, path and the rare `forced` label: references to existing strings, not copies (the
   * path is the shared ENDPOINT_PATH constant on the hot path). The path stays out of the
   * newline-delimited text: Hono decodes `%0A` in it to a real newline.
   */
  readonly #method: (string | undefined)[]
  readonly #path: (string | undefined)[]
  readonly #forced: (string | null)[]
  /** 1 where the body text is already the cut, redacted form of an oversized body. */
  readonly #cut: Uint8Array
  readonly #arenaSize: number
  #arena: Uint8Array | undefined
  /** Bytes handed out since the start: positions are absolute, the arena wraps. */
  #written = 0
  #next = 0
  #seq = 0
  #size = 0

  readonly #secrets: () => Secrets

  /** Every account's secret is redacted from what the journal kept when it is read out. */
  constructor(
    readonly capacity: number,
    secret: Secrets | (() => Secrets),
  ) {
    this.#secrets = typeof secret === 'function' ? secret : () => secret
    this.#num = new Float64Array(capacity * NUMS)
    this.#method = new Array(capacity).fill(undefined)
    this.#path = new Array(capacity).fill(undefined)
    this.#forced = new Array(capacity).fill(null)
    this.#cut = new Uint8Array(capacity)
    this.#arenaSize = Math.min(ARENA_MAX, Math.max(ARENA_MIN, capacity * JOURNAL_BYTES_PER_ENTRY))
  }

  add(record: JournalRecord): void {
    this.#seq++
    if (this.capacity === 0) return
    const slot = this.#next
    const n = slot * NUMS
    const num = this.#num
    num[n + ID] = this.#seq
    num[n + TIME] = record.timeMs
    num[n + HTTP] = record.httpStatus
    num[n + STATUS] = record.status ?? Number.NaN
    num[n + DURATION] = record.durationMs
    // Oversized bodies are cut (and redacted) now; everything else is redacted by list().
    const big = record.bodyText !== undefined && record.bodyText.length > MAX_BODY_CHARS
    let body = big ? (journalBody(record.bodyText, this.#secrets()) as string) : record.bodyText
    let text = `${record.requestId}\n${flatHeaders(record.headers)}`
    // Node caps headers at 16 KiB and bodies are cut at 4 KiB, so this only guards the arena.
    const room = Math.floor(this.#arenaSize / 3)
    if (text.length + (body?.length ?? 0) > room) {
      body = body === undefined ? undefined : '[too large for the journal]'
      text = text.slice(0, room - 64)
    }
    // Reserve the worst case (3 bytes per UTF-16 unit) in one contiguous run, wrapping if needed.
    this.#arena ??= new Uint8Array(this.#arenaSize)
    const arena = this.#arena
    let at = this.#written % this.#arenaSize
    const worst = (text.length + (body?.length ?? 0)) * 3
    if (at + worst > this.#arenaSize) {
      this.#written += this.#arenaSize - at
      at = 0
    }
    const textBytes = utf8.encodeInto(text, arena.subarray(at)).written
    const bodyBytes = body === undefined ? -1 : utf8.encodeInto(body, arena.subarray(at + textBytes)).written
    num[n + START] = this.#written
    num[n + TEXT_BYTES] = textBytes
    num[n + BODY_BYTES] = bodyBytes
    this.#written += textBytes + Math.max(0, bodyBytes)
    this.#cut[slot] = big ? 1 : 0
    this.#method[slot] = record.method
    this.#path[slot] = record.path
    this.#forced[slot] = record.forced
    this.#next = (slot + 1) % this.capacity
    if (this.#size < this.capacity) this.#size++
  }

  /** Oldest first; `limit` keeps the newest ones. */
  list(limit?: number): JournalEntry[] {
    const count = limit !== undefined && limit < this.#size ? limit : this.#size
    const out: JournalEntry[] = []
    const arena = this.#arena
    if (!arena) return out
    for (let k = count; k > 0; k--) {
      const slot = (this.#next - k + this.capacity) % this.capacity
      const n = slot * NUMS
      const start = this.#num[n + START] as number
      if (start < this.#written - this.#arenaSize) continue // its text was overwritten
      const at = start % this.#arenaSize
      const textBytes = this.#num[n + TEXT_BYTES] as number
      const bodyBytes = this.#num[n + BODY_BYTES] as number
      const [requestId = '', ...headers] = fromUtf8.decode(arena.subarray(at, at + textBytes)).split('\n')
      const bodyText =
        bodyBytes < 0
          ? undefined
          : fromUtf8.decode(arena.subarray(at + textBytes, at + textBytes + bodyBytes))
      const status = this.#num[n + STATUS] as number
      const secrets = this.#secrets()
      out.push({
        id: this.#num[n + ID] as number,
        time: new Date(this.#num[n + TIME] as number).toISOString(),
        requestId,
        method: this.#method[slot] ?? '',
        path: redactPath(this.#path[slot] ?? '', secrets),
        headers: redactHeaders(headers, secrets),
        body: this.#cut[slot] === 1 ? bodyText : journalBody(bodyText, secrets),
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
    this.#method.fill(undefined)
    this.#path.fill(undefined)
    this.#forced.fill(null)
    this.#next = 0
    this.#size = 0
  }
}
