import { redactSignShaped, statusInfo } from '@laaffic-kit/protocol'

/** Transport-level misbehaviour, outside the vendor's in-band statuses. */
export type Fault =
  | { kind: 'http'; httpStatus: 429 | 500 | 502 | 503 }
  | { kind: 'reset' }
  | { kind: 'malformed' }
  | { kind: 'delay'; ms: number }

/** What a request is forced to answer: an in-band status or a fault. */
export type Directive = { status: number; fault?: undefined } | { fault: Fault; status?: undefined }

export const STATUS_HEADER = 'X-Mock-Status'
export const FAULT_HEADER = 'X-Mock-Fault'
export const MAX_DELAY_MS = 120_000
export const FAULT_NAMES = [
  'http-500',
  'http-502',
  'http-503',
  'http-429',
  'reset',
  'malformed',
  'delay=<ms>',
]

/**
 * Thrown from `app.request` for the `reset` fault: a Request/Response pair has no socket to
 * drop. Over a real server (serveMock / the CLI) the socket is destroyed instead.
 */
export class MockConnectionReset extends Error {
  override name = 'MockConnectionReset'
  readonly code = 'ECONNRESET'
  constructor() {
    super('laaffic-mock: connection reset (X-Mock-Fault: reset)')
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string }

/**
 * Any integer from -999 to 999: the documented codes get the vendor's reason; others
 * (e.g. -15 or -24 from the vendor's wider tables) let a client test its unknown-code path.
 */
export function parseForcedStatus(value: unknown): Parsed<number> {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || !/^\s*-?\d{1,3}\s*$/.test(text)) {
    return { ok: false, detail: `${STATUS_HEADER} must be an integer status code such as -1, -16 or 0` }
  }
  return { ok: true, value: Number(text) }
}

export function parseFault(value: unknown): Parsed<Fault> {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : ''
  const http = /^http-(429|500|502|503)$/.exec(text)
  if (http) return { ok: true, value: { kind: 'http', httpStatus: Number(http[1]) as 429 | 500 | 502 | 503 } }
  if (text === 'reset') return { ok: true, value: { kind: 'reset' } }
  if (text === 'malformed') return { ok: true, value: { kind: 'malformed' } }
  const delay = /^delay=(\d{1,6})$/.exec(text)
  if (delay && Number(delay[1]) <= MAX_DELAY_MS)
    return { ok: true, value: { kind: 'delay', ms: Number(delay[1]) } }
  return {
    ok: false,
    detail: `${FAULT_HEADER} must be one of ${FAULT_NAMES.join(', ')} (delay at most ${MAX_DELAY_MS} ms)`,
  }
}

/** One account's secret, or every account's (the mock answers for several). */
export type Secrets = string | readonly string[]

function isSecret(text: string, secret: Secrets): boolean {
  return typeof secret === 'string' ? secret !== '' && text === secret : secret.includes(text)
}

/** A-Z to a-z and nothing else, so positions in the result are positions in the input. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase())
}

/**
 * Finds any of many secrets, in any letter case, in one pass per distinct secret length: a
 * window of that length is looked up in a set. A regex per secret cost O(secrets × text), which
 * made listing the journal take seconds once thousands of accounts had come and gone.
 */
class SecretMatcher {
  readonly #byLength = new Map<number, Set<string>>()
  /** Secrets outside printable ASCII (whose lower case may change length): one pattern each. */
  readonly #patterns: RegExp[] = []

  constructor(secrets: readonly string[]) {
    for (const secret of secrets) {
      if (!secret) continue
      if (!/[^ -~]/.test(secret)) {
        let set = this.#byLength.get(secret.length)
        if (!set) {
          set = new Set()
          this.#byLength.set(secret.length, set)
        }
        set.add(asciiLower(secret))
      } else {
        this.#patterns.push(new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'))
      }
    }
  }

  redact(text: string): string {
    let out = text
    if (this.#byLength.size > 0) {
      const lower = asciiLower(text)
      let ranges: [number, number][] = []
      for (const [length, set] of this.#byLength) {
        for (let i = 0; i + length <= lower.length; i++) {
          if (set.has(lower.slice(i, i + length))) ranges.push([i, i + length])
        }
      }
      if (ranges.length > 0) {
        ranges = ranges.sort((a, b) => a[0] - b[0])
        let result = ''
        let at = 0
        for (const [start, end] of ranges) {
          if (end <= at) continue
          result += `${text.slice(at, Math.max(at, start))}${start >= at ? '[redacted]' : ''}`
          at = end
        }
        out = result + text.slice(at)
      }
    }
    for (const re of this.#patterns) out = out.replace(re, '[redacted]')
    return out
  }
}

const matchers = new WeakMap<readonly string[], SecretMatcher>()
const singles = new Map<string, SecretMatcher>()

/** The matcher of a secret list, built once per list (the account registry hands out one array until accounts change). */
function matcherOf(secret: Secrets): SecretMatcher {
  if (typeof secret === 'string') {
    let m = singles.get(secret)
    if (!m) {
      if (singles.size > 64) singles.clear()
      m = new SecretMatcher([secret])
      singles.set(secret, m)
    }
    return m
  }
  let m = matchers.get(secret)
  if (!m) {
    m = new SecretMatcher(secret)
    matchers.set(secret, m)
  }
  return m
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Details can echo what a client sent (field names). Before they go back out, the account's
 * secret and anything shaped like a Sign are redacted and control characters dropped, so a
 * reason is safe to log on the client side.
 */
export function safeDetail(detail: string, secret: Secrets): string {
  return redactSecrets(detail.replace(CONTROL, '?'), secret)
}

/**
 * The account's secret (in any letter case) and anything shaped like a Sign (a run of 32 or more
 * hex digits) become `[redacted]`. The secret goes first: a hex secret would otherwise lose only
 * its first 32 digits to the Sign rule and show the rest.
 */
export function redactSecrets(text: string, secret: Secrets): string {
  return redactSignShaped(matcherOf(secret).redact(text), '[redacted]')
}

/**
 * A URL path through redactSecrets, also percent-decoded: Hono leaves reserved characters
 * (`%40`, `%3A`, `%2F`…) encoded, so a secret holding them would pass in encoded form.
 */
export function redactPath(path: string, secret: Secrets): string {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {}
  const shown = redactSecrets(decoded, secret)
  return shown !== decoded ? shown : redactSecrets(path, secret)
}

/**
 * Every string and key of a parsed JSON value through redactSecrets, and a number that spells a
 * numeric secret (`1234567.8e1` for 12345678) redacted too; keys keep no prototype.
 */
export function redactJson(value: unknown, secret: Secrets): unknown {
  if (typeof value === 'string') return redactSecrets(value, secret)
  if (typeof value === 'number') return isSecret(String(value), secret) ? '[redacted]' : value
  if (Array.isArray(value)) return value.map((v) => redactJson(v, secret))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = Object.create(null)
  for (const [k, v] of Object.entries(value)) out[redactSecrets(k, secret)] = redactJson(v, secret)
  return out
}

/** The reason text of a (forced) status: the vendor's, or a labelled one for undocumented codes. */
export function reasonFor(status: number, detail?: string, secret: Secrets = ''): string {
  const base = statusInfo(status)?.reason ?? `Unknown status ${status} (forced by laaffic-mock)`
  return detail ? `${base}: ${safeDetail(detail, secret)}` : base
}

const HTTP_TEXT: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

export function httpFaultText(httpStatus: number): string {
  return HTTP_TEXT[httpStatus] ?? 'Error'
}

/** Cuts a JSON text so it no longer parses, as a proxy dropping the tail of a response would. */
export function truncateJson(text: string): string {
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)))
  return cut.endsWith('}') ? cut.slice(0, -1) : cut
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
