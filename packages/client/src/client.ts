import { DEFAULT_BASE_URL, ENDPOINT_PATH, normalizeStatus, statusInfo } from '@laaffic-kit/protocol'
import createClient, { type Client } from 'openapi-fetch'
import {
  excerpt,
  LaafficApiError,
  LaafficConnectionError,
  LaafficError,
  LaafficHttpError,
  LaafficTimeoutError,
  TimestampExpiredError,
} from './errors.js'
import type { paths } from './generated/schema.js'
import { type Logger, redactingLogger } from './logger.js'
import { TaskIterator } from './paging.js'
import {
  abortableSleep,
  abortReason,
  defaultSleep,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type Sleep,
} from './retry.js'
import { type SigningState, signingMiddleware } from './signing.js'
import type { QueryRequest, RequestOptions, TaskPage, TaskQuery } from './types.js'

/** Any fetch-compatible function: `globalThis.fetch`, undici's, or a Hono app's `app.fetch`. */
export type FetchLike = (request: Request) => Response | Promise<Response>

/** The typed openapi-fetch client behind {@link LaafficClient.raw}. */
export type RawClient = Client<paths, 'application/json'>

export interface LaafficClientOptions {
  apiKey: string
  apiSecret: string
  /** Default `https://api.laaffic.com`. White-label brands of the platform use other hosts. */
  baseUrl?: string | undefined
  /** Default `globalThis.fetch`, looked up at call time. */
  fetch?: FetchLike | undefined
  /** Per-attempt timeout in ms; default 30 000. */
  timeoutMs?: number | undefined
  /** Retries after the first attempt; default 2. */
  maxRetries?: number | undefined
  /** Local clock in epoch ms; default `Date.now`. */
  now?: (() => number) | undefined
  /**
   * On a -16 (timestamp expired) answer that carries a `Date` header, move the client's clock
   * offset to the server's time and retry once. Default true.
   */
  correctClockSkew?: boolean | undefined
  /** Receives attempt, retry and clock-skew lines; secrets and Signs are scrubbed. */
  logger?: Partial<Logger> | undefined
  /** Backoff sleep, for tests; default a `setTimeout` that honours the abort signal. */
  sleep?: Sleep | undefined
  /** Jitter source in [0, 1), for tests; default `Math.random`. */
  random?: (() => number) | undefined
  /** Headers sent with every request (the signing headers always win). */
  headers?: HeadersInit | undefined
}

export interface LaafficClient {
  /**
   * Fetches one page. Resolves with `data` when `status` is 0 (as a number or a string);
   * otherwise throws a {@link LaafficApiError} subclass. Retries per the client's policy.
   */
  queryTasks(body: QueryRequest, options?: RequestOptions): Promise<TaskPage>
  /** Walks every page of a query lazily, one request per page. */
  iterateTasks(query: TaskQuery, options?: RequestOptions): TaskIterator
  /** The underlying openapi-fetch client with the signing middleware (no retries, no envelope checks). */
  readonly raw: RawClient
  /** Server time minus local time in ms, as learnt from clock-skew corrections (0 until one happens). */
  readonly clockOffsetMs: number
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RETRIES = 2
// `Date` has one-second resolution: a smaller correction is noise and would not cure a -16.
const MIN_SKEW_CORRECTION_MS = 1_000

export function createLaafficClient(options: LaafficClientOptions): LaafficClient {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createLaafficClient: options are required')
  const { apiKey, apiSecret } = options
  if (typeof apiKey !== 'string' || apiKey === '')
    throw new TypeError('createLaafficClient: apiKey is required')
  // Never echo the value: this message could end up in a log.
  if (typeof apiSecret !== 'string' || apiSecret === '')
    throw new TypeError('createLaafficClient: apiSecret is required')
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)
  const defaults = {
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxRetries: checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES),
  }
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new TypeError('createLaafficClient: now must be a function')
  const userFetch = options.fetch
  if (userFetch !== undefined && typeof userFetch !== 'function')
    throw new TypeError('createLaafficClient: fetch must be a function')
  const sleep = options.sleep ?? defaultSleep
  const random = options.random ?? Math.random
  const correctClockSkew = options.correctClockSkew ?? true
  const log = redactingLogger(options.logger, apiSecret)

  const state: SigningState = { apiKey, apiSecret, now, clockOffsetMs: 0 }
  const raw: RawClient = createClient<paths, 'application/json'>({
    baseUrl,
    // Wrapped so a bare `fetch` is never called with the wrong `this` (browsers throw
    // "Illegal invocation"), and so a fetch stubbed after construction is still used.
    fetch: async (request) => (userFetch ?? globalThis.fetch)(request),
    headers: mergeHeaders({ 'Content-Type': 'application/json;charset=UTF-8' }, options.headers),
  })
  raw.use(signingMiddleware(state))

  // The server's clock for a -16 answer, kept beside the error rather than on it.
  const serverDates = new WeakMap<object, number>()

  async function attempt(
    body: QueryRequest,
    headers: HeadersInit | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<TaskPage> {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort(new LaafficTimeoutError(timeoutMs))
    }, timeoutMs)
    const onUserAbort = () => controller.abort(abortReason(signal!))
    if (signal?.aborted) onUserAbort()
    else signal?.addEventListener('abort', onUserAbort, { once: true })
    try {
      // Raced against the signal so a fetch (or body read) that ignores it still cannot hang us.
      return await new Promise<TaskPage>((resolve, reject) => {
        const fail = () => reject(controller.signal.reason)
        if (controller.signal.aborted) return fail()
        controller.signal.addEventListener('abort', fail, { once: true })
        raw
          .POST(ENDPOINT_PATH, { body, headers: headers ?? {}, signal: controller.signal, parseAs: 'text' })
          .then(({ response, data, error }) => interpret(response, data ?? error))
          .then(resolve, reject)
      })
    } catch (error) {
      if (timedOut) throw new LaafficTimeoutError(timeoutMs)
      if (signal?.aborted) throw abortReason(signal)
      if (error instanceof LaafficError) throw error
      throw new LaafficConnectionError(undefined, { cause: error })
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onUserAbort)
    }
  }

  function interpret(response: Response, payload: unknown): TaskPage {
    const httpStatus = response.status
    const requestId = response.headers.get('x-request-id') ?? response.headers.get('request-id') ?? undefined
    // openapi-fetch hands over text for 2xx (parseAs) but tries JSON for errors; excerpt either.
    const text = typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload)
    const httpError = (detail?: string) =>
      new LaafficHttpError({
        httpStatus,
        bodyExcerpt: excerpt(text),
        requestId,
        detail,
        retryAfterMs: parseRetryAfter(response.headers, now()),
      })
    if (!response.ok) throw httpError()
    let envelope: unknown
    try {
      envelope = JSON.parse(text)
    } catch {
      throw httpError(text === '' ? 'empty response body' : 'response body is not JSON')
    }
    if (!isObject(envelope) || !('status' in envelope)) throw httpError('response is not a LAAFFIC envelope')
    const code = normalizeStatus(envelope.status)
    if (code === undefined) throw httpError('envelope status is not an integer')
    if (code !== 0) {
      const reason = typeof envelope.reason === 'string' ? envelope.reason : (statusInfo(code)?.reason ?? '')
      const error = LaafficApiError.from({ code, reason, httpStatus, requestId, body: envelope })
      const date = Date.parse(response.headers.get('date') ?? '')
      if (!Number.isNaN(date)) serverDates.set(error, date)
      throw error
    }
    const page = envelope.data
    if (!isObject(page) || !Array.isArray(page.records) || typeof page.pages !== 'number') {
      throw httpError('success envelope without a page in data')
    }
    return page as TaskPage
  }

  async function queryTasks(body: QueryRequest, requestOptions: RequestOptions = {}): Promise<TaskPage> {
    const { signal } = requestOptions
    const timeoutMs =
      requestOptions.timeoutMs === undefined ? defaults.timeoutMs : checkTimeout(requestOptions.timeoutMs)
    const maxRetries =
      requestOptions.maxRetries === undefined
        ? defaults.maxRetries
        : checkMaxRetries(requestOptions.maxRetries)
    let retries = 0
    let skewCorrected = false
    for (let attemptNo = 1; ; attemptNo++) {
      if (signal?.aborted) throw abortReason(signal)
      log.debug(`laaffic: POST ${baseUrl}${ENDPOINT_PATH} attempt ${attemptNo}`, {
        current: body.current,
        size: body.size,
      })
      try {
        const page = await attempt(body, requestOptions.headers, timeoutMs, signal)
        log.debug(`laaffic: attempt ${attemptNo} ok`, {
          current: page.current,
          pages: page.pages,
          records: page.records.length,
        })
        return page
      } catch (error) {
        if (!(error instanceof LaafficError)) throw error // the user's abort
        if (correctClockSkew && !skewCorrected && error instanceof TimestampExpiredError) {
          skewCorrected = true
          const serverDate = serverDates.get(error)
          if (serverDate !== undefined) {
            const offset = serverDate - now()
            if (Math.abs(offset - state.clockOffsetMs) >= MIN_SKEW_CORRECTION_MS) {
              log.warn(
                `laaffic: clock skew, server time is ${offset} ms from local time; re-signing and retrying once`,
              )
              state.clockOffsetMs = offset
              continue
            }
          }
        }
        if (retries >= maxRetries || !isRetryable(error)) {
          log.debug(`laaffic: attempt ${attemptNo} failed, giving up: ${error.message}`)
          throw error
        }
        const retryAfter = error instanceof LaafficHttpError ? error.retryAfterMs : undefined
        const delay = retryDelayMs(retries, retryAfter, random)
        retries++
        log.info(
          `laaffic: attempt ${attemptNo} failed (${error.name}: ${error.message}); retry ${retries}/${maxRetries} in ${delay} ms`,
        )
        await abortableSleep(sleep, delay, signal)
      }
    }
  }

  return {
    queryTasks,
    iterateTasks: (query, requestOptions) => new TaskIterator(queryTasks, query, requestOptions),
    raw,
    get clockOffsetMs() {
      return state.clockOffsetMs
    },
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function mergeHeaders(base: Record<string, string>, extra: HeadersInit | undefined): Headers {
  const headers = new Headers(base)
  if (extra) {
    new Headers(extra).forEach((value, name) => {
      headers.set(name, value)
    })
  }
  return headers
}

function checkBaseUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`createLaafficClient: baseUrl is not a valid URL: ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`createLaafficClient: baseUrl must be http(s), got ${url.protocol}`)
  }
  return value.replace(/\/+$/, '')
}

function checkTimeout(value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`laaffic: timeoutMs must be a positive finite number, got ${String(value)}`)
  }
  return value
}

function checkMaxRetries(value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`laaffic: maxRetries must be a non-negative integer, got ${String(value)}`)
  }
  return value
}
