import {
  OPERATIONS,
  type OperationDef,
  type OperationId,
  signHeaders,
  toTimestampSeconds,
} from '@laaffic-kit/protocol'
import { loadSpec, type OpenApiDocument, specOperation } from '@laaffic-kit/spec'

let cached: OpenApiDocument | undefined
/** The spec, parsed once per process (parsing the YAML costs tens of milliseconds). */
function specDocument(): OpenApiDocument {
  cached ??= loadSpec()
  return cached
}

/** The operation with this id, from the protocol table (throws on a typo). */
export function operation(id: OperationId | string): OperationDef {
  const op = OPERATIONS.find((o) => o.id === id)
  if (!op) throw new Error(`no operation ${id}`)
  return op
}

/**
 * The component schema of an operation's HTTP 200 answer (e.g. `EmptyResponse` for the writes),
 * read from the spec so a test validates what the spec says, not a copy of it.
 */
export function responseSchemaOf(id: OperationId | string, doc: OpenApiDocument = specDocument()): string {
  const ref = specOperation(doc, id).operation.responses?.['200']?.content?.['application/json']?.schema?.$ref
  if (typeof ref !== 'string') throw new Error(`${id} has no application/json 200 schema`)
  return ref.replace('#/components/schemas/', '')
}

/** The component schema of an operation's request body, or undefined for a GET (deleteSeatGroup). */
export function requestSchemaOf(
  id: OperationId | string,
  doc: OpenApiDocument = specDocument(),
): string | undefined {
  const ref = specOperation(doc, id).operation.requestBody?.content?.['application/json']?.schema?.$ref
  return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined
}

const pad = (n: number) => String(n).padStart(2, '0')

/** `yyyy-MM-dd HH:mm:ss` at UTC+8 (the vendor's zone and the mock's default). */
export function wallClock(epochMs: number): string {
  const d = new Date(epochMs + 8 * 3_600_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** querySeats' required statistics window: the 30 days up to `nowMs` (the page allows 32). */
export function seatWindow(nowMs: number): { strTime: string; endTime: string } {
  return { strTime: wallClock(nowMs - 30 * 86_400_000), endTime: wallClock(nowMs) }
}

export interface RawTarget {
  baseUrl: string
  apiKey: string
  apiSecret: string
  fetch: typeof fetch
  now: () => number
}

export interface RawAnswer {
  httpStatus: number
  /** The parsed JSON, or undefined when the body is not JSON. */
  json: unknown
  text: string
}

/**
 * Sends one request as-is, signed (no client in between): for checks on the wire format itself.
 * GET operations take `query` (a string, sent verbatim, or an object); POST ones take `body`
 * (a string is sent verbatim).
 */
export async function sendRaw(
  t: RawTarget,
  id: OperationId | string,
  request: { body?: unknown; query?: string | Record<string, string>; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const op = operation(id)
  const url = new URL(op.path.replace(/^\//, ''), t.baseUrl.endsWith('/') ? t.baseUrl : `${t.baseUrl}/`)
  if (typeof request.query === 'string') url.search = request.query
  else if (request.query) for (const [k, v] of Object.entries(request.query)) url.searchParams.set(k, v)
  const body =
    op.method === 'GET' || request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body)
  const res = await t.fetch(url, {
    method: op.method,
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      ...signHeaders(t.apiKey, t.apiSecret, toTimestampSeconds(t.now())),
      ...request.headers,
    },
    ...(body === undefined ? {} : { body }),
  })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { httpStatus: res.status, json, text }
}
