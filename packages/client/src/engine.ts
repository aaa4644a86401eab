import {
  DEFAULT_BASE_URL,
  type OperationDef,
  redactSensitiveJson,
  redactSensitiveText,
} from '@laaffic-kit/protocol'
import {
  BODY_EXCERPT_LIMIT,
  LaafficApiError,
  LaafficConnectionError,
  LaafficError,
  LaafficHttpError,
  LaafficTimeoutError,
  TimestampExpiredError,
} from './errors.js'
import { mergeHeaders } from './headers.js'
import { type Logger, redact, redactingLogger } from './logger.js'
import {
  isRetryable,
  parseRetryAfter,
  provesUnprocessed,
  retryDelayMs,
  type Sleep,
  sleepFor,
} from './retry.js'
import { type SigningState, signedHeaders } from './signing.js'
import type { HeadersLike, RequestOptions, RetryWrites } from './types.js'

/** Any fetch-compatible function: `globalThis.fetch`, undici's, or a Hono app's `app.fetch`. */
export type FetchLike = (request: Request) => Response | Promise<Response>

export interface LaafficCoreOptions {
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
  /** Which failures of a write are retried; default `'unprocessed'`. See {@link RetryWrites}. */
  retryWrites?: RetryWrites | undefined
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

/** How {@link LaafficCore.request} treats an operation beyond its method and path. */
export interface OperationKind {
  /** The operation changes state (even over GET, as deleteSeatGroup does): retries follow `retryWrites`. */
  write?: boolean | undefined
  /** What `data` must be when `status` is 0: a page (`records` and `pages`), a list or an object. Otherwise anything. */
  data?: 'page' | 'list' | 'object' | undefined
  /**
   * Scrubs what the call sent beyond a password from every string of its errors (the upload's
   * file content); kept here so only the resources that need a scrubber bundle one.
   */
  redact?: ((text: string) => string) | undefined
}

/**
 * The one request loop every resource goes through: signing, per-attempt timeouts, retries
 * with backoff, clock-skew correction, the envelope check and typed errors.
 */
export interface LaafficCore {
  /**
   * Sends `input` (the JSON body; for a GET, the query parameters) to `op` and resolves with
   * the envelope's `data` when `status` is 0; otherwise throws a {@link LaafficApiError}. The
   * resource classes are thin typed wrappers around this.
   */
  request<T>(op: OperationDef, input: object, options?: RequestOptions, kind?: OperationKind): Promise<T>
  /** Server time minus local time in ms, as learnt from clock-skew corrections (0 until one happens). */
  readonly clockOffsetMs: number
}

/**
 * Sends one attempt another way (through `client.raw`, once the user added a middleware
 * there), reporting the Sign it went out with. Resolves with the response and its payload.
 */
export type Exchange = (
  op: OperationDef,
  input: object,
  headers: HeadersLike | undefined,
  signal: AbortSignal,
  onSign: (sign: string | null) => void,
) => Promise<[Response, unknown]>

/** What `createLaafficClient` needs beyond the public core to build `client.raw`. Not public API. */
export interface CoreInternals {
  core: LaafficCore
  state: SigningState
  baseUrl: string
  send: (request: Request) => Promise<Response>
  defaultHeaders: HeadersLike | undefined
  /** Route every later attempt through `exchange` (there is no way back). */
  route(exchange: Exchange): void
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
  'retryWrites',
  'now',
  'correctClockSkew',
  'logger',
  'sleep',
  'random',
  'headers',
]
const REQUEST_OPTION_KEYS = ['signal', 'headers', 'timeoutMs', 'maxRetries', 'retryWrites']

/**
 * Creates the core alone: the request loop without resources or `raw`. With one resource
 * class it is all a consumer of one resource needs (`new Seats(createLaafficCore(options))`);
 * bundles that never touch `client.raw` leave openapi-fetch out. Throws a `TypeError` for an
 * obviously wrong option, as `createLaafficClient` does.
 */
export function createLaafficCore(options: LaafficCoreOptions): LaafficCore {
  return createCoreInternals(options).core
}

/**
 * Checks the options and builds the loop. Throws a `TypeError` for an obviously wrong option:
 * an unknown key (a typo such as `baseURL` would otherwise fall back to the vendor's host), a
 * missing or malformed key or secret, a baseUrl that is not a plain http(s) URL, a bad
 * timeout, retry count or write-retry mode, or invalid default headers. The credentials live
 * only in closures: inspecting or serialising the core cannot show them.
 */
export function createCoreInternals(options: LaafficCoreOptions): CoreInternals {
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
  const defaultRetryWrites = checkRetryWrites(options.retryWrites ?? 'unprocessed')
  // Throws the platform's TypeError now rather than on every call (merged as every call merges them).
  mergeHeaders(options.headers)
  const now = options.now ?? Date.now
  const userFetch = options.fetch
  const sleep = options.sleep
  const random = options.random ?? Math.random
  const correctClockSkew = options.correctClockSkew ?? true
  const log = redactingLogger(options.logger, apiSecret)

  const state: SigningState = { apiKey, apiSecret, now, clockOffsetMs: 0 }
  const defaultHeaders = options.headers
  // Awaited wherever it is called, so a FetchLike that answers synchronously is fine.
  const send = (userFetch ?? platformFetch) as (request: Request) => Promise<Response>
  // Set once the user adds middleware to `client.raw`: from then on attempts go through it.
  let exchangeVia: Exchange | undefined

  /**
   * Replaces the apiSecret, the attempt's Sign and the call's own secrets (a seat password it
   * sends; whatever `kind.redact` scrubs: an uploaded file's base64) in every string an error
   * holds (message, stack, reason, bodyExcerpt, the body's keys and values, the cause chain), and applies the protocol's sensitive-field rule to each string
   * (a `"password"` value replaced, a phone number masked to its last 4 digits), in place: a
   * server that echoes a field name, a custom fetch that quotes a header, or a page of seats
   * with their passwords cannot put them in a log.
   */
  const scrub = <T>(
    value: T,
    secrets: Array<string | null | undefined>,
    more: OperationKind['redact'],
    depth = 0,
  ): T => {
    if (typeof value === 'string') {
      const text = redact(value, apiSecret, ...secrets)
      return redactSensitiveText(more ? more(text) : text) as T
    }
    if (value && typeof value === 'object' && depth < 9) {
      const o = value as Record<string, unknown>
      for (const key of Object.getOwnPropertyNames(o)) {
        const clean = scrub(o[key], secrets, more, depth + 1)
        const name = redact(key, apiSecret, ...secrets)
        if (name !== key) delete o[key]
        o[name] = clean
      }
    }
    return value
  }

  // The server's clock for a -16 answer, kept beside the error rather than on it.
  const serverDates = new WeakMap<object, number>()

  async function attempt(
    op: OperationDef,
    input: object,
    kind: OperationKind,
    headers: HeadersLike | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    password: string | undefined,
  ): Promise<unknown> {
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
    const exchange = async (): Promise<unknown> => {
      if (exchangeVia) {
        const [response, payload] = await exchangeVia(op, input, headers, stop, (s) => {
          sign = s
        })
        return interpret(op, kind, response, payload)
      }
      const signed = signedHeaders(state)
      const get = op.method === 'GET'
      const query = get ? queryString(input) : ''
      const url = baseUrl + op.path + (query && `?${query}`)
      const init: RequestInit = {
        method: op.method,
        // Merged as openapi-fetch merges them, signing headers last; a header the platform
        // refuses throws here, before anything is sent. A GET carries them all, Content-Type too,
        // as the vendor's samples do.
        headers: defaultHeaders || headers ? mergeHeaders(defaultHeaders, headers, signed) : signed,
        signal: stop,
        body: get ? null : JSON.stringify(input),
      }
      sign = signed.Sign
      // Called bare (not as globalThis.fetch) so browsers do not throw "Illegal invocation".
      const response = await (userFetch ? userFetch(new Request(url, init)) : fetch(url, init))
      return interpret(op, kind, response, await response.text())
    }
    try {
      // Raced against the signal so a fetch (or body read) that ignores it still cannot hang us.
      return await new Promise<unknown>((resolve, reject) => {
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
        [sign, password],
        kind.redact,
      )
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onUserAbort)
    }
  }

  function interpret(op: OperationDef, kind: OperationKind, response: Response, payload: unknown): unknown {
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
    let envelope: { status?: unknown; reason?: unknown; data?: unknown } | null
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
      // The body as parsed, minus what the protocol marks sensitive (seat passwords, phone numbers).
      const body = redactSensitiveJson(envelope)
      const error = LaafficApiError.from({ code, reason, httpStatus, requestId, body }, op)
      const date = Date.parse(response.headers.get('date') ?? '')
      if (!Number.isNaN(date)) serverDates.set(error, date)
      throw error
    }
    // The write operations document `data: null`; whatever they send is handed back as is.
    const data = envelope?.data ?? null
    if (kind.data === 'list' && !Array.isArray(data)) throw httpError('status 0 without a list in data')
    if (kind.data === 'object' && !(data && typeof data === 'object' && !Array.isArray(data)))
      throw httpError('status 0 without an object in data')
    if (kind.data === 'page') {
      const page = data as { records?: unknown; pages?: unknown } | null
      if (!Array.isArray(page?.records) || typeof page.pages !== 'number') {
        throw httpError('status 0 without a page in data')
      }
    }
    return data
  }

  async function request<T>(
    op: OperationDef,
    input: object,
    requestOptions: RequestOptions = {},
    kind: OperationKind = {},
  ): Promise<T> {
    checkInput(op, input, kind)
    checkKeys(requestOptions, REQUEST_OPTION_KEYS)
    const { signal } = requestOptions
    const timeoutMs = checkTimeout(requestOptions.timeoutMs ?? defaultTimeoutMs)
    const maxRetries = checkMaxRetries(requestOptions.maxRetries ?? defaultMaxRetries)
    // Reads retry whatever a retry can cure; writes, unless told otherwise, only what proves
    // the server never acted on them (a repeated addSeats would create the seats twice).
    const safeOnly =
      kind.write && checkRetryWrites(requestOptions.retryWrites ?? defaultRetryWrites) !== 'always'
    // A password the call sends (updateSeat) is scrubbed from its errors like the Sign.
    const password = (input as { password?: unknown }).password
    const secret = typeof password === 'string' ? password : undefined
    const page = kind.data === 'page' ? ` page ${(input as { current?: unknown }).current}` : ''
    let retries = 0
    let skewCorrected = false
    for (let attemptNo = 1; ; attemptNo++) {
      signal?.throwIfAborted()
      log.debug(`laaffic: ${op.method} ${op.path}${page} attempt ${attemptNo}`)
      try {
        return (await attempt(op, input, kind, requestOptions.headers, timeoutMs, signal, secret)) as T
      } catch (error) {
        if (!(error instanceof LaafficError)) throw error // the user's abort
        // A -16 is refused before anything is done, so this retry is safe for writes too.
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
        if (retries >= maxRetries || !(safeOnly ? provesUnprocessed(error) : isRetryable(error))) throw error
        const retryAfter = error instanceof LaafficHttpError ? error.retryAfterMs : undefined
        const delay = retryDelayMs(retries, retryAfter, random)
        retries++
        log.info(`laaffic: ${error.name}: ${error.message}; retry ${retries}/${maxRetries} in ${delay} ms`)
        await sleepFor(delay, signal, sleep)
      }
    }
  }

  return {
    core: {
      request,
      get clockOffsetMs() {
        return state.clockOffsetMs
      },
    },
    state,
    baseUrl,
    send,
    defaultHeaders,
    route(exchange) {
      exchangeVia = exchange
    },
  }
}

/** A GET's query parameters, `undefined` and `null` left out and arrays repeated (`a=1&a=2`), as openapi-fetch sends them. */
function queryString(input: object): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(input)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v != null) search.append(name, String(v))
  }
  return String(search)
}

/**
 * The platform fetch for a `Request` (`client.raw`): the Request with its body replaced by the
 * body's text. Node's fetch (undici) sends a Request's own body as a chunked stream, which costs
 * about 1 ms a call against a local server and drops Content-Length; a string body gets a
 * Content-Length (an init body wins over the Request's, so its consumed stream is never read).
 * A GET has no body to replace. Looked up at call time so a stubbed global is used, and called
 * bare so browsers do not throw "Illegal invocation".
 */
async function platformFetch(request: Request): Promise<Response> {
  return request.body ? fetch(request, { body: await request.text() }) : fetch(request)
}

/** Option checks are cheap and only catch the obviously wrong; the server judges the rest. */
function check(ok: unknown, message: string): asserts ok {
  if (!ok) throw new TypeError(`laaffic: ${message}`)
}

function checkInput(op: OperationDef, input: unknown, kind: OperationKind): void {
  // The message is built only when it is needed: this runs on every call.
  if (!input || typeof input !== 'object') {
    check(
      false,
      op.method === 'GET'
        ? 'query parameters must be an object'
        : `body must be an object${kind.data === 'page' ? ' with current, size and params' : ''}`,
    )
  }
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

function checkRetryWrites(value: RetryWrites): RetryWrites {
  check(value === 'unprocessed' || value === 'always', "retryWrites must be 'unprocessed' or 'always'")
  return value
}
