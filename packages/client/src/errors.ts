import { type StatusKey, statusInfo } from '@laaffic-kit/protocol'

/** The longest body excerpt an error keeps: enough to debug, bounded so a huge page cannot bloat logs. */
export const BODY_EXCERPT_LIMIT = 500

/**
 * The base of every error this client throws (user aborts excepted: they surface as the
 * platform's `AbortError`). Errors never hold request headers, so neither the apiSecret nor
 * a Sign can leak through `message`, `stack`, `util.inspect` or `JSON.stringify`.
 */
export class LaafficError extends Error {
  override readonly name: string = 'LaafficError'

  /**
   * A plain, log-safe view: the error's own fields (never headers) plus `message`, which
   * `JSON.stringify` would otherwise drop. The raw `body` is left out to keep log lines small.
   */
  toJSON(): Record<string, unknown> {
    const { body: _body, ...fields } = this as Record<string, unknown>
    return { ...fields, name: this.name, message: this.message }
  }
}

export interface LaafficApiErrorInit {
  code: number
  reason: string
  httpStatus: number
  requestId?: string | undefined
  /** The parsed envelope as the server sent it. */
  body?: unknown
}

/**
 * The server answered with a well-formed envelope whose `status` is not 0 (an in-band failure;
 * the vendor sends these with HTTP 200). Codes the protocol table does not know arrive as this
 * base class with `code` preserved; known ones as the subclass named after the table's key.
 */
export class LaafficApiError extends LaafficError {
  override readonly name: string = 'LaafficApiError'
  /** The in-band status, always a number even when the server printed a string. */
  readonly code: number
  readonly reason: string
  readonly httpStatus: number
  readonly requestId: string | undefined
  readonly body: unknown

  constructor(init: LaafficApiErrorInit) {
    super(`LAAFFIC API error ${init.code}: ${init.reason}`)
    this.code = init.code
    this.reason = init.reason
    this.httpStatus = init.httpStatus
    this.requestId = init.requestId
    this.body = init.body
  }

  /** Whether the protocol table says a retry can cure this code. */
  get retryable(): boolean {
    return statusInfo(this.code)?.retryable ?? false
  }

  /** Builds the most specific class for `init.code`. */
  static from(init: LaafficApiErrorInit): LaafficApiError {
    const key = statusInfo(init.code)?.key
    const Ctor = key === undefined || key === 'SUCCESS' ? LaafficApiError : ERROR_CLASS_BY_KEY[key]
    return new Ctor(init)
  }
}

/** -1: bad Api-Key or Sign (or a secret that does not match the key). */
export class AuthenticationError extends LaafficApiError {
  override readonly name: string = 'AuthenticationError'
}
/** -2: the caller's IP is not on the account's allowlist. */
export class IpRestrictedError extends LaafficApiError {
  override readonly name: string = 'IpRestrictedError'
}
/** -16: the Timestamp is outside the server's window (see the client's clock-skew correction). */
export class TimestampExpiredError extends LaafficApiError {
  override readonly name: string = 'TimestampExpiredError'
}
/** -18: the server failed; retried by default. */
export class SystemError extends LaafficApiError {
  override readonly name: string = 'SystemError'
}
/** -20: data already exists. */
export class DataExistsError extends LaafficApiError {
  override readonly name: string = 'DataExistsError'
}
/** -22: the request was rejected as invalid; `reason` usually names the field. */
export class ParameterError extends LaafficApiError {
  override readonly name: string = 'ParameterError'
}
/** -23: an account data limit was reached. */
export class DataLimitError extends LaafficApiError {
  override readonly name: string = 'DataLimitError'
}

/**
 * Keyed by the protocol table's keys, so adding a code there without a class here is a
 * compile error rather than a silent fallback to the base class.
 */
const ERROR_CLASS_BY_KEY: {
  readonly [K in Exclude<StatusKey, 'SUCCESS'>]: new (
    init: LaafficApiErrorInit,
  ) => LaafficApiError
} = {
  AUTHENTICATION: AuthenticationError,
  IP_RESTRICTED: IpRestrictedError,
  TIMESTAMP_EXPIRED: TimestampExpiredError,
  SYSTEM: SystemError,
  DATA_EXISTS: DataExistsError,
  PARAMETER: ParameterError,
  DATA_LIMIT: DataLimitError,
}

export interface LaafficHttpErrorInit {
  httpStatus: number
  /** The body, cut to {@link BODY_EXCERPT_LIMIT} characters. */
  bodyExcerpt: string
  requestId?: string | undefined
  /** Present when the transport succeeded (or the status is 200) but the body is not the vendor's envelope. */
  detail?: string | undefined
  retryAfterMs?: number | undefined
}

/**
 * The answer was not a usable envelope: a non-2xx HTTP status, a body that is not JSON, or
 * JSON that is not `{status, reason, data}`.
 */
export class LaafficHttpError extends LaafficError {
  override readonly name: string = 'LaafficHttpError'
  readonly httpStatus: number
  readonly bodyExcerpt: string
  readonly requestId: string | undefined
  /** The server's `Retry-After`/`retry-after-ms` hint in ms, when it sent one. */
  readonly retryAfterMs: number | undefined

  constructor(init: LaafficHttpErrorInit) {
    super(
      `HTTP ${init.httpStatus}${init.detail ? `: ${init.detail}` : ''}${init.bodyExcerpt ? ` (body: ${init.bodyExcerpt})` : ''}`,
    )
    this.httpStatus = init.httpStatus
    this.bodyExcerpt = init.bodyExcerpt
    this.requestId = init.requestId
    this.retryAfterMs = init.retryAfterMs
  }
}

/** The request never got an answer (DNS, refused or reset connection, TLS, CORS in a browser). */
export class LaafficConnectionError extends LaafficError {
  override readonly name: string = 'LaafficConnectionError'

  constructor(message = 'Connection error.', options?: { cause?: unknown }) {
    // Only the cause's message is kept, not the object: a custom fetch could attach the Request
    // (and so the Sign header) to the error it throws.
    super(message, options?.cause === undefined ? undefined : { cause: safeCause(options.cause) })
  }
}

/** One attempt exceeded `timeoutMs`. Retried like any connection error. */
export class LaafficTimeoutError extends LaafficConnectionError {
  override readonly name: string = 'LaafficTimeoutError'
  readonly timeoutMs: number

  constructor(timeoutMs: number) {
    super(`Request timed out after ${timeoutMs} ms.`)
    this.timeoutMs = timeoutMs
  }
}

/** A copy holding only name, message, `code` and (recursively) the cause: undici puts ECONNRESET & co there. */
function safeCause(cause: unknown, depth = 0): Error {
  const e = cause as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown } | null
  const copy = new Error(String(e?.message ?? cause))
  copy.name = String(e?.name ?? 'Error')
  if (typeof e?.code === 'string') Object.assign(copy, { code: e.code })
  if (depth < 2 && e?.cause != null) copy.cause = safeCause(e.cause, depth + 1)
  return copy
}
