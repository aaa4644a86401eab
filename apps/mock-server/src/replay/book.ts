import { OPERATIONS, type OperationDef } from '@laaffic-kit/protocol'
import { redactSecrets, type Secrets } from '../faults.js'
import { OptionError } from '../options.js'
import { redactBody, redactQuery } from '../proxy/redact.js'

// `--replay file.har`: the recorded answers of a HAR (as `laaffic-mock proxy --record` writes
// it), looked up by operation and normalised request. Recordings are redacted before they reach
// disk; requests are put through the same redaction before they are looked up, so a recorded
// request and the live one it stands for compare equal.

/** One recorded answer, exactly as recorded (status, content type, body text). */
export interface RecordedAnswer {
  httpStatus: number
  mimeType: string
  text: string
}

/**
 * The request as replay compares it: JSON with object keys sorted (so key order and whitespace
 * do not matter), a GET's query parameters likewise. Timestamp and Sign are headers, never part of it.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** A body as replay keys it: redacted as a recording is, then canonical (text that is not JSON stays text). */
function bodyKey(redactedText: string): string {
  try {
    return canonicalJson(JSON.parse(redactedText))
  } catch {
    return `text:${redactedText}`
  }
}

/** Query parameters as replay keys them (the last of a repeated name wins, as `c.req.query()` reads them). */
function queryKey(pairs: readonly { name: string; value: string }[]): string {
  const o: Record<string, string> = {}
  for (const { name, value } of pairs) o[name] = value
  return canonicalJson(o)
}

/** The key of a live request: its operation and its body (or query) redacted and normalised. */
export function requestKey(
  op: OperationDef,
  request: { bodyText?: string; query?: URLSearchParams },
  secrets: Secrets,
): string {
  const normal =
    op.method === 'GET'
      ? queryKey(redactQuery(request.query ?? new URLSearchParams(), secrets))
      : bodyKey(redactBody(request.bodyText ?? '', secrets))
  return `${op.id} ${normal}`
}

/**
 * The answers of a recording by request key. A request recorded more than once is answered in
 * the recorded order (a query before and after a write sees both states), the last answer repeating.
 */
export class ReplayBook {
  readonly #answers = new Map<string, { list: RecordedAnswer[]; next: number }>()

  constructor(readonly source: string) {}

  get size(): number {
    let n = 0
    for (const a of this.#answers.values()) n += a.list.length
    return n
  }

  add(key: string, answer: RecordedAnswer): void {
    const slot = this.#answers.get(key)
    if (slot) slot.list.push(answer)
    else this.#answers.set(key, { list: [answer], next: 0 })
  }

  /**
   * The next recorded answer for this request, or undefined. Its text goes through the mock's own
   * secrets and the Sign-shaped rule once more: a recording is redacted already, and replay keeps
   * it so even for a file edited by hand.
   */
  take(key: string, secrets: Secrets): RecordedAnswer | undefined {
    const slot = this.#answers.get(key)
    if (!slot) return undefined
    const answer = slot.list[Math.min(slot.next, slot.list.length - 1)]
    if (slot.next < slot.list.length - 1) slot.next++
    return answer && { ...answer, text: redactSecrets(answer.text, secrets) }
  }
}

const byId = new Map<string, OperationDef>(OPERATIONS.map((op) => [op.id, op]))

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/** One recorded exchange with an answer: its operation, normalised request key and the answer. */
export interface RecordedExchange {
  index: number
  op: OperationDef
  key: string
  answer: RecordedAnswer
}

/** Checks a HAR document and builds the book (see {@link recordedExchanges}). */
export function replayBookFrom(doc: unknown, label: string): ReplayBook {
  const book = new ReplayBook(label)
  for (const x of recordedExchanges(doc, label)) book.add(x.key, x.answer)
  return book
}

/**
 * Checks a HAR document and lists its exchanges in recorded order. Entries without a recorded
 * answer (upstream refused, timed out) are skipped; anything malformed is refused with one line
 * naming the entry and field.
 */
export function recordedExchanges(doc: unknown, label: string): RecordedExchange[] {
  const fail: (what: string) => never = (what) => {
    throw new OptionError(`${label}: ${what}`)
  }
  if (!isObject(doc) || !isObject(doc.log)) return fail('not a HAR file (no "log" object)')
  const entries = doc.log.entries
  if (!Array.isArray(entries)) return fail('not a HAR file (log.entries is not an array)')
  const out: RecordedExchange[] = []
  for (const [i, entry] of (entries as unknown[]).entries()) {
    addEntry(i, entry)
  }
  return out

  function addEntry(i: number, entry: unknown): void {
    const at: (field: string, rule: string) => never = (field, rule) => fail(`entry ${i}: ${field} ${rule}`)
    if (!isObject(entry)) at('', 'is not an object')
    const { request, response } = entry
    if (!isObject(request)) at('request', 'is not an object')
    if (!isObject(response)) at('response', 'is not an object')
    if (typeof request.method !== 'string') at('request.method', 'is not a string')
    if (typeof request.url !== 'string') at('request.url', 'is not a string')
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      at('request.url', 'is not an absolute URL')
    }
    // The operation: _laaffic.operationId when the proxy wrote the file, else method and path.
    const meta = entry._laaffic
    let op: OperationDef | undefined
    if (meta !== undefined) {
      if (!isObject(meta) || typeof meta.operationId !== 'string')
        at('_laaffic.operationId', 'is not a string')
      op = byId.get(meta.operationId)
      if (!op)
        at(
          '_laaffic.operationId',
          `names no operation of the spec (${JSON.stringify(meta.operationId.slice(0, 40))})`,
        )
    } else {
      op = OPERATIONS.find((o) => o.method === request.method && o.path === url.pathname)
      if (!op)
        at(
          'request.url',
          `is not a vendor operation of the spec (${request.method} ${url.pathname.slice(0, 80)})`,
        )
    }
    if (op.method !== request.method || op.path !== url.pathname) {
      at('request', `is not ${op.method} ${op.path} (${op.id})`)
    }
    const status = response.status
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 599) {
      at('response.status', 'is not an HTTP status')
    }
    const content = response.content
    if (!isObject(content)) at('response.content', 'is not an object')
    if (content.text !== undefined && typeof content.text !== 'string')
      at('response.content.text', 'is not a string')
    // No answer was recorded (the upstream refused or timed out): nothing to replay.
    if (status < 100 || content.text === undefined) return
    let normal: string
    if (op.method === 'GET') {
      const qs = request.queryString ?? []
      if (
        !Array.isArray(qs) ||
        !qs.every((q) => isObject(q) && typeof q.name === 'string' && typeof q.value === 'string')
      ) {
        at('request.queryString', 'is not a list of {name, value} strings')
      }
      normal = queryKey(qs as { name: string; value: string }[])
    } else {
      const post = request.postData
      if (!isObject(post) || typeof post.text !== 'string') at('request.postData.text', 'is not a string')
      normal = bodyKey(post.text)
    }
    out.push({
      index: i,
      op,
      key: `${op.id} ${normal}`,
      answer: {
        httpStatus: status,
        mimeType:
          typeof content.mimeType === 'string' && content.mimeType !== ''
            ? content.mimeType
            : 'application/json',
        text: content.text,
      },
    })
  }
}

/** Reads and checks `--replay <file.har>` (node:fs reached as fixtures.ts reaches it). */
export function loadReplayFile(path: string): ReplayBook {
  const label = `--replay ${path}`
  return replayBookFrom(readHarFile(path, label), label)
}

/** A HAR file's parsed JSON; unreadable or non-JSON files are a one-line OptionError. */
export function readHarFile(path: string, label: string): unknown {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs')
  if (!fs) throw new OptionError(`${label}: this runtime has no file system`)
  let text: string
  try {
    text = fs.readFileSync(path, 'utf8')
  } catch (err) {
    throw new OptionError(`${label}: cannot read (${(err as { code?: string }).code ?? 'error'})`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new OptionError(`${label}: not valid JSON (${(err as Error).message.split('\n')[0]})`)
  }
  return doc
}
