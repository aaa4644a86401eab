import { DEFAULT_BASE_URL, ENDPOINT_PATH } from '@laaffic-kit/protocol'
import createClient, { type Client, mergeHeaders } from 'openapi-fetch'
import {
  BODY_EXCERPT_LIMIT,
  LaafficApiError,
  LaafficConnectionError,
  LaafficError,
  LaafficHttpError,
  LaafficTimeoutError,
  TimestampExpiredError,
} from './errors.js'
import type { paths } from './generated/schema.js'
import { type Logger, redact, redactingLogger } from './logger.js'
import { TaskIterator } from './paging.js'
import { isRetryable, parseRetryAfter, retryDelayMs, type Sleep, sleepFor } from './retry.js'
import { type SigningState, signedHeaders, signingMiddleware } from './signing.js'
import type { HeadersLike, QueryRequest, RequestOptions, TaskPage, TaskQuery } from './types.js'

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
  headers?: HeadersLike | undefined
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
// `Date` is truncated to the second and read a round trip later, so an agreeing server can look
// up to ~1.x s behind: below 2 s a correction is noise and would not cure a -16 anyway.
const MIN_SKEW_CORRECTION_MS = 2_000

const OPTION_KEYS = [
  'apiKey',
  'apiSecret',
  'baseUrl',
  'fetch',
  'timeoutMs',
  'maxRetries',
  'now',
  'correctClockSkew',
  'logger',
  'sleep',
  'random',
  'headers',
]
const REQUEST_OPTION_KEYS = ['signal', 'headers', 'timeoutMs', 'maxRetries']

/**
 * Creates a client. Throws a `TypeError` for an obviously wrong option: an unknown key (a typo
 * such as `baseURL` would otherwise fall back to the vendor's host), a missing or malformed key
 * or secret, a baseUrl that is not a plain http(s) URL, a bad timeout or retry count, or
 * invalid default headers. The credentials live only in closures: inspecting or serialising
 * the client cannot show them.
 *
 * @example
 * const client = createLaafficClient({ apiKey, apiSecret })
 * const page = await client.queryTasks({ current: 1, size: 15, params: { taskStatus: [12] } })
 */
export function createLaafficClient(options: LaafficClientOptions): LaafficClient {
  checkKeys(options, OPTION_KEYS)
  const { apiKey, apiSecret } = options
  // Header values must be visible ASCII; a space, newline or non-Latin-1 character would only
  // fail later, inside fetch. Never echo the value: this message could end up in a log.
  check(typeof apiKey === 'string' && /^[!-~]+$/.test(apiKey), 'apiKey must be a string of visible ASCII')
  check(typeof apiSecret === 'string' && apiSecret !== '', 'apiSecret must be a non-empty string')
  let url: URL | undefined
  try {
    url = new URL(options.baseUrl ?? DEFAULT_BASE_URL)
  } catch {}
  // Not echoed either: user info in it would be a password.
  check(
    /^https?:$/.test(url?.protocol ?? '') && !url!.username && !url!.password && !/[?#]/.test(url!.href),
    'baseUrl must be http(s), without credentials, query or fragment',
  )
  const baseUrl = url!.href.replace(/\/+$/, '')
  const host = url!.host
  const defaultTimeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  const defaultMaxRetries = checkMaxRetries(options.maxRetries ?? DEFAULT_MAX_RETRIES)
  // Throws the platform's TypeError now rather than on every call (merged as every call merges them).
  mergeHeaders(options.headers)
  const now = options.now ?? Date.now
  const userFetch = options.fetch
  const sleep = options.sleep
  const random = options.random ?? Math.random
  const correctClockSkew = options.correctClockSkew ?? true
  const log = redactingLogger(options.logger, apiSecret)

  const state: SigningState = { apiKey, apiSecret, now, clockOffsetMs: 0 }
  const endpoint = baseUrl + ENDPOINT_PATH
  const defaultHeaders = options.headers
  // openapi-fetch awaits what this returns, so a FetchLike that answers synchronously is fine.
  const send = (userFetch ?? platformFetch) as (request: Request) => Promise<Response>
  const raw: RawClient = createClient<paths, 'application/json'>({
    baseUrl,
    fetch: send,
    headers: defaultHeaders ?? {},
  })
  raw.use(signingMiddleware(state))
  // Once the user adds a middleware with raw.use, queryTasks sends through raw so it sees
  // queryTasks' requests too (until then it skips openapi-fetch). Set before `use` runs, as
  // that may add some middlewares and then throw on a bad one; not unset by `eject`.
  let viaRaw = false
  const { use } = raw
  raw.use = (...middlewares) => {
    viaRaw = true
    use(...middlewares)
  }

  /**
   * Replaces the apiSecret and the attempt's Sign in every string an error holds (message,
   * stack, reason, bodyExcerpt, the body's keys and values, the cause chain), in place: a
   * server that echoes a field name, or a custom fetch that quotes a header, cannot put them
   * in a log.
   */
  const scrub = <T>(value: T, sign: string | null | undefined, depth = 0): T => {
    if (typeof value === 'string') return redact(value, apiSecret, sign) as T
    if (value && typeof value === 'object' && depth < 9) {
      const o = value as Record<string, unknown>
      for (const key of Object.getOwnPropertyNames(o)) {
        const clean = scrub(o[key], sign, depth + 1)
        const name = redact(key, apiSecret, sign)
        if (name !== key) delete o[key]
        o[name] = clean
      }
    }
    return value
  }

  // The server's clock for a -16 answer, kept beside the error rather than on it.
  const serverDates = new WeakMap<object, number>()

  async function attempt(
    body: QueryRequest,
    headers: HeadersLike | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<TaskPage> {
    // One controller carries both ways an attempt can be cut short; its reason is what we throw.
    const controller = new AbortController()
    const stop = controller.signal
    const timer = setTimeout(() => controller.abort(new LaafficTimeoutError(timeoutMs)), timeoutMs)
    const onUserAbort = () => controller.abort(signal!.reason)
    signal?.addEventListener('abort', onUserAbort, { once: true })
    // Set (to the Sign, or null) once the request reaches fetch; still undefined, an error came
    // from building it (bad per-call headers...): a bug to report, not a connection to retry.
    let sign: string | null | undefined
    // Sends the attempt and reads the body. Unless the user added middleware to raw, with the
    // platform `fetch` given the URL, headers and a string body (a user `fetch` gets one Request
    // built from them): building a Request for openapi-fetch, unpacking it and letting `fetch`
    // build another cost about a quarter of the client's own time per call.
    const exchange = async (): Promise<TaskPage> => {
      if (viaRaw) {
        const answer = await raw.POST(ENDPOINT_PATH, {
          body,
          headers: headers ?? {},
          signal: stop,
          parseAs: 'text',
          fetch: (request) => {
            sign = request.headers.get('sign')
            return send(request)
          },
        })
        return interpret(answer.response, answer.data ?? answer.error)
      }
      const signed = signedHeaders(state)
      const init: RequestInit = {
        method: 'POST',
        // Merged as openapi-fetch merges them, signing headers last; a header the platform
        // refuses throws here, before anything is sent.
        headers: defaultHeaders || headers ? mergeHeaders(defaultHeaders, headers, signed) : signed,
        signal: stop,
        body: JSON.stringify(body),
      }
      sign = signed.Sign
      // Called bare (not as globalThis.fetch) so browsers do not throw "Illegal invocation".
      const response = await (userFetch ? userFetch(new Request(endpoint, init)) : fetch(endpoint, init))
      return interpret(response, await response.text())
    }
    try {
      // Raced against the signal so a fetch (or body read) that ignores it still cannot hang us.
      return await new Promise<TaskPage>((resolve, reject) => {
        // (An AbortSignal fires once, and this one lives only for the attempt: no `once` needed.)
        stop.addEventListener('abort', () => reject(stop.reason))
        exchange().then(resolve, reject)
      })
    } catch (error) {
      if (stop.aborted) throw stop.reason
      throw scrub(
        error instanceof LaafficError
          ? error
          : sign === undefined
            ? new TypeError(`laaffic: cannot build the request: ${(error as Error)?.message}`)
            : new LaafficConnectionError(undefined, { cause: error, host }),
        sign,
      )
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onUserAbort)
    }
  }

  function interpret(response: Response, payload: unknown): TaskPage {
    const httpStatus = response.status
    const requestId = response.headers.get('x-request-id') ?? undefined
    // The body's text, or (through raw) openapi-fetch's: text for 2xx, JSON if it can for errors.
    const text = typeof payload === 'string' ? payload : (JSON.stringify(payload) ?? '')
    const httpError = (detail?: string) =>
      new LaafficHttpError({
        httpStatus,
        bodyExcerpt: text.slice(0, BODY_EXCERPT_LIMIT),
        requestId,
        detail,
        retryAfterMs: parseRetryAfter(response.headers, now()),
      })
    if (!response.ok) throw httpError()
    // Typed loosely on purpose: every field is checked before use, and `?.` copes with a JSON
    // body that is null, a number or an array.
    let envelope: { status?: unknown; reason?: unknown; data?: Partial<TaskPage> } | null
    try {
      envelope = JSON.parse(text)
    } catch {
      throw httpError('body is not JSON')
    }
    // The vendor prints `status` as a number or a numeric string (" 0 " included).
    const status = envelope?.status
    const code =
      typeof status === 'number'
        ? status
        : typeof status === 'string' && /^\s*-?\d+\s*$/.test(status)
          ? +status
          : NaN
    if (!Number.isInteger(code)) throw httpError('body is not a LAAFFIC envelope')
    if (code !== 0) {
      const reason = typeof envelope?.reason === 'string' ? envelope.reason : ''
      const error = LaafficApiError.from({ code, reason, httpStatus, requestId, body: envelope })
      const date = Date.parse(response.headers.get('date') ?? '')
      if (!Number.isNaN(date)) serverDates.set(error, date)
      throw error
    }
    const page = envelope?.data
    if (!Array.isArray(page?.records) || typeof page.pages !== 'number') {
      throw httpError('status 0 without a page in data')
    }
    return page as TaskPage
  }

  async function queryTasks(body: QueryRequest, requestOptions: RequestOptions = {}): Promise<TaskPage> {
    checkBody(body)
    checkKeys(requestOptions, REQUEST_OPTION_KEYS)
    const { signal } = requestOptions
    const timeoutMs = checkTimeout(requestOptions.timeoutMs ?? defaultTimeoutMs)
    const maxRetries = checkMaxRetries(requestOptions.maxRetries ?? defaultMaxRetries)
    let retries = 0
    let skewCorrected = false
    for (let attemptNo = 1; ; attemptNo++) {
      signal?.throwIfAborted()
      log.debug(`laaffic: POST ${ENDPOINT_PATH} page ${body.current} attempt ${attemptNo}`)
      try {
        const page = await attempt(body, requestOptions.headers, timeoutMs, signal)
        return page
      } catch (error) {
        if (!(error instanceof LaafficError)) throw error // the user's abort
        if (correctClockSkew && !skewCorrected && error instanceof TimestampExpiredError) {
          skewCorrected = true
          const serverDate = serverDates.get(error)
          if (serverDate !== undefined) {
            const offset = serverDate - now()
            if (Math.abs(offset - state.clockOffsetMs) >= MIN_SKEW_CORRECTION_MS) {
              log.warn(`laaffic: clock skew of ${offset} ms; retrying once`)
              state.clockOffsetMs = offset
              continue
            }
          }
        }
        if (retries >= maxRetries || !isRetryable(error)) throw error
        const retryAfter = error instanceof LaafficHttpError ? error.retryAfterMs : undefined
        const delay = retryDelayMs(retries, retryAfter, random)
        retries++
        log.info(`laaffic: ${error.name}: ${error.message}; retry ${retries}/${maxRetries} in ${delay} ms`)
        await sleepFor(delay, signal, sleep)
      }
    }
  }

  return {
    queryTasks,
    iterateTasks(query, requestOptions) {
      checkBody(query)
      return new TaskIterator(queryTasks, query, requestOptions)
    },
    raw,
    get clockOffsetMs() {
      return state.clockOffsetMs
    },
  }
}

/**
 * `client.raw`'s platform fetch: the Request with its body replaced by the body's text. Node's
 * fetch (undici) sends a Request's own body as a chunked stream, which costs about 1 ms a call
 * against a local server and drops Content-Length; a string body gets a Content-Length (an
 * init body wins over the Request's, so its consumed stream is never read). Looked up at call
 * time so a stubbed global is used, and called bare so browsers do not throw "Illegal invocation".
 */
async function platformFetch(request: Request): Promise<Response> {
  return fetch(request, { body: await request.text() })
}

/** Option checks are cheap and only catch the obviously wrong; the server judges the rest. */
function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new TypeError(`laaffic: ${message}`)
}

function checkBody(body: unknown): void {
  check(body && typeof body === 'object', 'body must be an object with current, size and params')
}

/** Rejects a non-object and any key not in `known`, suggesting the right spelling of a miscased one. */
function checkKeys(options: unknown, known: string[]): void {
  check(options && typeof options === 'object', 'options must be an object')
  for (const key of Object.keys(options)) {
    const hint = known.find((k) => k.toLowerCase() === key.toLowerCase())
    check(
      known.includes(key),
      `unknown option ${JSON.stringify(key)}${hint ? `; did you mean ${hint}?` : ''}`,
    )
  }
}

/** setTimeout takes at most 2^31 - 1 ms; above that Node fires at once. */
function checkTimeout(value: number): number {
  check(typeof value === 'number' && value > 0 && value <= 0x7fffffff, 'timeoutMs must be in (0, 2147483647]')
  return value
}

function checkMaxRetries(value: number): number {
  check(Number.isInteger(value) && value >= 0 && value <= 10, 'maxRetries must be an integer in [0, 10]')
  return value
}
