import type { FailureStatusCode, OperationDef, OperationId, StatusInfo } from '@laaffic-kit/protocol'

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
  /** The operationId of the call that failed (`deleteSeatGroup`...). */
  operation?: OperationId | undefined
  /** What this code means on that operation, from its status table; undefined when it does not list the code. */
  meaning?: string | undefined
}

/**
 * The server answered with a well-formed envelope whose `status` is not 0 (an in-band failure;
 * the vendor sends these with HTTP 200). The codes every page shares (-1, -2, -16, -18, -20,
 * -22, -23) arrive as the subclass named after the protocol table's key; any other code as this
 * base class with `code` kept, `operation` set and, when the operation documents the code, its
 * `meaning` there (codes are not globally unique: -64 on deleteSeatGroup is not -64 on updateSeat).
 */
export class LaafficApiError extends LaafficError {
  override readonly name: string = 'LaafficApiError'
  /** The in-band status, always a number even when the server printed a string. */
  declare readonly code: number
  declare readonly reason: string
  declare readonly httpStatus: number
  declare readonly requestId: string | undefined
  declare readonly body: unknown
  /** The operationId of the failed call; undefined only for errors built by hand without one. */
  declare readonly operation: OperationId | undefined
  /** This code's meaning on `operation` (its status table); undefined for a code the operation does not list. */
  declare readonly meaning: string | undefined

  constructor(init: LaafficApiErrorInit) {
    super(`LAAFFIC API error ${init.code}: ${init.reason}`)
    // `declare`d fields and one assign: the same own fields, fewer bytes in a browser bundle.
    Object.assign(this, init)
  }

  /** Whether the protocol table says a retry can cure this code. */
  get retryable(): boolean {
    return this.code in RETRYABLE
  }

  /**
   * Builds the most specific class for `init.code`. With `op`, also sets `operation` and
   * `meaning` from the operation's status table; a code the table lists without a shared key
   * (an endpoint-specific meaning) is the base class even when the shared table knows the number.
   */
  static from(init: LaafficApiErrorInit, op?: OperationDef): LaafficApiError {
    const row = op?.statuses.find((s) => s.code === init.code)
    const Ctor =
      (row && !row.key ? undefined : ERROR_CLASS_BY_CODE[init.code as FailureStatusCode]) ?? LaafficApiError
    return new Ctor(op ? { ...init, operation: op.id, meaning: row?.meaning } : init)
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
 * The codes the protocol table marks retryable (only -18, the server's own failure). Typed from
 * the table, so a change there that this object does not follow is a compile error; kept as a
 * literal because importing the table at run time costs ~0.7 KB of the browser budget.
 */
const RETRYABLE: { readonly [K in Extract<StatusInfo, { retryable: true }>['code']]: true } = { [-18]: true }

/**
 * Keyed by the protocol table's failure codes, so adding a code there without a class here is
 * a compile error rather than a silent fallback to the base class.
 */
const ERROR_CLASS_BY_CODE: {
  readonly [K in FailureStatusCode]: new (
    init: LaafficApiErrorInit,
  ) => LaafficApiError
} = {
  [-1]: AuthenticationError,
  [-2]: IpRestrictedError,
  [-16]: TimestampExpiredError,
  [-18]: SystemError,
  [-20]: DataExistsError,
  [-22]: ParameterError,
  [-23]: DataLimitError,
}

/**
 * `previewTasks.waitFor` polled for a task id that `queryPreviewTasks` does not list (a wrong
 * id, or another account's task). Not an in-band code: the query itself succeeded.
 */
export class TaskNotFoundError extends LaafficError {
  override readonly name: string = 'TaskNotFoundError'
  /** The id that was polled for, as sent in `params.taskId`. */
  readonly taskId: string

  constructor(taskId: string) {
    super(`Task ${taskId} not found`)
    this.taskId = taskId
  }
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
  declare readonly httpStatus: number
  declare readonly bodyExcerpt: string
  declare readonly requestId: string | undefined
  /** The server's `Retry-After`/`retry-after-ms` hint in ms, when it sent one. */
  declare readonly retryAfterMs: number | undefined
  /** What was wrong with a 2xx body, when that is the trouble. */
  declare readonly detail: string | undefined

  constructor(init: LaafficHttpErrorInit) {
    super(
      `HTTP ${init.httpStatus}${init.detail ? `: ${init.detail}` : ''}${init.bodyExcerpt ? ` (body: ${init.bodyExcerpt})` : ''}`,
    )
    Object.assign(this, init)
  }
}

/** The request never got an answer (DNS, refused or reset connection, TLS, CORS in a browser). */
export class LaafficConnectionError extends LaafficError {
  override readonly name: string = 'LaafficConnectionError'
  /** The low-level code (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`...) nearest on the cause chain. */
  readonly code: string | undefined

  /**
   * Without a `message`, says what is known: `Connection error: ECONNREFUSED (127.0.0.1:8787)`,
   * the cause's message standing in for a missing code.
   */
  constructor(message?: string, options?: { cause?: unknown; host?: string | undefined }) {
    // Only copies of the causes are kept, not the objects: a custom fetch could attach the
    // Request (and so the Sign header) to the error it throws.
    const cause = options?.cause === undefined ? undefined : safeCause(options.cause)
    let code: string | undefined
    for (let c: Error | undefined = cause; c && !code; c = c.cause as Error | undefined)
      code = (c as { code?: string }).code
    const detail = code ?? cause?.message
    const host = options?.host
    super(
      message ?? `Connection error${detail ? `: ${detail}` : ''}${host ? ` (${host})` : ''}`,
      cause && { cause },
    )
    this.code = code
  }
}

/** One attempt exceeded `timeoutMs`. Retried like any connection error. */
export class LaafficTimeoutError extends LaafficConnectionError {
  override readonly name: string = 'LaafficTimeoutError'
  declare readonly timeoutMs: number

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
