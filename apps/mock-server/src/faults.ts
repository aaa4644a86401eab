import { statusInfo } from '@laaffic-kit/protocol'

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

const SIGN_SHAPED = /[0-9a-f]{32}/gi
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Details can echo what a client sent (field names). Before they go back out, the account's
 * secret and anything shaped like a Sign are redacted and control characters dropped, so a
 * reason is safe to log on the client side.
 */
export function safeDetail(detail: string, secret: string): string {
  return redactSecrets(detail.replace(CONTROL, '?'), secret)
}

/** The account's secret and anything shaped like a Sign (32 hex digits) become `[redacted]`. */
export function redactSecrets(text: string, secret: string): string {
  const out = text.replace(SIGN_SHAPED, '[redacted]')
  return secret ? out.replaceAll(secret, '[redacted]') : out
}

/** The reason text of a (forced) status: the vendor's, or a labelled one for undocumented codes. */
export function reasonFor(status: number, detail?: string, secret = ''): string {
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
