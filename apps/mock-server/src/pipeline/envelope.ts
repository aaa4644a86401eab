import type { components } from '@laaffic-kit/spec'
import type { TaskRecord } from '../dataset.js'
import { CACHED_RECORD } from '../paging.js'
import type { MockClock } from '../time.js'

export type QueryResponse = components['schemas']['QueryResponse']

/** The HTTP Date of the mock's clock, formatted once per second rather than per request. */
export function createHttpDate(clock: MockClock): () => string {
  let second = Number.NaN
  let text = ''
  return () => {
    const now = clock.now()
    if (now !== second) {
      second = now
      text = new Date(now * 1000).toUTCString()
    }
    return text
  }
}

const utf8 = new TextEncoder()
const COMMA = utf8.encode(',')
const TAIL = utf8.encode(']}}')

/** UTF-8 JSON of each materialised record; records are cached and never mutated, so is this. */
const recordBytes = new WeakMap<TaskRecord, Uint8Array>()

/**
 * JSON.stringify of the envelope as UTF-8 bytes, with each record's bytes reused: serialising
 * (and then UTF-8 encoding for the socket) the page was the largest cost left per request.
 * `records` is the last key of `data`, and `data` the last of the envelope, so the records go
 * in just before the closing `]}}`.
 */
export function serializeEnvelope(body: QueryResponse): Uint8Array<ArrayBuffer> {
  const records = body.data?.records
  if (!body.data || !records || records.length === 0) return utf8.encode(JSON.stringify(body))
  const head = utf8.encode(JSON.stringify({ ...body, data: { ...body.data, records: [] } }).slice(0, -3))
  const parts: Uint8Array[] = [head]
  let length = head.length + TAIL.length
  for (const r of records) {
    let bytes = recordBytes.get(r)
    if (bytes === undefined) {
      bytes = utf8.encode(JSON.stringify(r))
      if ((r as { [CACHED_RECORD]?: true })[CACHED_RECORD]) recordBytes.set(r, bytes)
    }
    if (parts.length > 1) {
      parts.push(COMMA)
      length += COMMA.length
    }
    parts.push(bytes)
    length += bytes.length
  }
  parts.push(TAIL)
  // Node's Buffer skips zero-filling what is about to be overwritten; elsewhere a plain array.
  const out: Uint8Array<ArrayBuffer> =
    typeof Buffer === 'function' ? Buffer.allocUnsafe(length) : new Uint8Array(length)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
