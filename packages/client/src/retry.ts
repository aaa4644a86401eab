import { LaafficApiError, LaafficConnectionError, LaafficHttpError } from './errors.js'

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. Injectable for tests. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

const INITIAL_DELAY_MS = 500
const MAX_DELAY_MS = 8_000
// A server hint above this is not a backoff any more but an outage; fall back to our own schedule.
const MAX_RETRY_AFTER_MS = 60_000

/** Whether a failed attempt is worth another one. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof LaafficConnectionError) return true // includes LaafficTimeoutError
  if (error instanceof LaafficHttpError) {
    const s = error.httpStatus
    return s >= 500 || [408, 409, 429].includes(s)
  }
  if (error instanceof LaafficApiError) return error.retryable // from the protocol table: only -18
  return false
}

// Connection codes that mean no request left this machine: refused, DNS failures, and undici's
// connect timeout (the socket never opened). A reset or our own timeout proves nothing.
const NOT_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']

/**
 * Whether a failed attempt proves the server did not act on the request, so that even a write
 * that is not safe to repeat (seats.addList) can be retried: nothing was sent, or HTTP 429 or
 * 503 (refused before processing). A timeout, a reset, another 5xx or an in-band -18 may follow
 * a write that was applied.
 */
export function provesUnprocessed(error: unknown): boolean {
  if (error instanceof LaafficConnectionError) return NOT_SENT.includes(error.code as string)
  return error instanceof LaafficHttpError && (error.httpStatus === 429 || error.httpStatus === 503)
}

/**
 * Exponential backoff with jitter: 0.5 s·2ⁿ capped at 8 s, minus up to 25 % so clients that
 * failed together do not retry together. A server hint (`retry-after-ms`, `Retry-After`) wins
 * when it is between 0 and 60 s.
 */
export function retryDelayMs(
  retryIndex: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0 && retryAfterMs <= MAX_RETRY_AFTER_MS) {
    return retryAfterMs
  }
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retryIndex, MAX_DELAY_MS)
  return Math.round(base * (1 - random() * 0.25))
}

/** Reads `retry-after-ms` (non-standard, ms) then `Retry-After` (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers, nowMs: number): number | undefined {
  // parseFloat(null) is NaN, so a missing header falls through.
  const ms = Number.parseFloat(headers.get('retry-after-ms') as string)
  if (Number.isFinite(ms)) return ms
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/**
 * Waits `ms` with `setTimeout`, or with the injected sleep, and rejects with the signal's
 * reason the moment it aborts, whatever the injected sleep does (the timer is cleared, so an
 * aborted backoff never keeps a Node process alive).
 */
export function sleepFor(
  ms: number,
  signal: AbortSignal | undefined,
  custom: Sleep | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason) // as `fetch` does: a plain abort() makes it an `AbortError`
    }
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    const done = () => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }
    if (custom) custom(ms, signal).then(done, reject)
    else timer = setTimeout(done, ms)
  })
}
