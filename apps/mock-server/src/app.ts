import type { HttpBindings } from '@hono/node-server'
import { createSignVerifier, ENDPOINT_PATH, HEADER, STATUS } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { type Context, Hono } from 'hono'
import { adminRoutes } from './admin.js'
import { checkCredentials, createIpCheck } from './auth.js'
import { generateDataset, type TaskRecord, type TaskStore } from './dataset.js'
import { docsRoutes } from './docs.js'
import {
  type Directive,
  FAULT_HEADER,
  type Fault,
  httpFaultText,
  MockConnectionReset,
  parseFault,
  parseForcedStatus,
  reasonFor,
  redactPath,
  STATUS_HEADER,
  sleep,
  truncateJson,
} from './faults.js'
import { loadFixtureFile, storeFromFixtures } from './fixtures.js'
import { Journal } from './journal.js'
import { createLogger, type Logger } from './log.js'
import { type MockOptions, type MockOptionsInput, resolveOptions } from './options.js'
import { queryPage } from './paging.js'
import { ScenarioQueue } from './scenarios.js'
import { TaskIndex } from './task-index.js'
import { MockClock } from './time.js'
import { validateQuery } from './validation.js'

export type QueryResponse = components['schemas']['QueryResponse']

export interface CreateMockAppOptions extends MockOptionsInput {
  /** A prebuilt dataset (skips generation; handy when many apps share one). */
  store?: TaskStore
  /** Fixture records instead of generated data, validated like `--data`. */
  records?: readonly unknown[]
  /** Where access and event lines go; defaults to stdout per logFormat/logLevel. */
  logger?: Logger
}

type Vars = {
  inBand: number | null
  forced: string | null
  bodyText: string | undefined
  requestId: string
  /** The handler already sent Date and X-Request-Id (the fast path in `answer`). */
  stamped: boolean
}
// Bindings are absent under app.request, so every use of c.env is guarded.
export type MockEnv = { Bindings: Partial<HttpBindings>; Variables: Vars }

const JSON_TYPE = /^application\/json\s*(;|$)/i

/** Everything a running mock keeps; exposed for serveMock and tests. */
export interface MockState {
  options: MockOptions
  store: TaskStore
  index: TaskIndex
  clock: MockClock
  scenarios: ScenarioQueue
  journal: Journal
}

const states = new WeakMap<object, MockState>()

/** The state behind an app made by createMockApp. */
export function mockState(app: Hono<MockEnv>): MockState {
  const s = states.get(app)
  if (!s) throw new Error('not an app made by createMockApp')
  return s
}

function buildStore(options: MockOptions, input: CreateMockAppOptions): TaskStore {
  if (input.store) return input.store
  if (input.records) return storeFromFixtures([...input.records], options.utcOffset, 'records')
  if (options.data) return loadFixtureFile(options.data, options.utcOffset)
  return generateDataset({ tasks: options.tasks, seed: options.seed })
}

/**
 * A Hono app that answers like LAAFFIC's POST /v3/cc/preview/query, plus /__admin, /docs,
 * /openapi.yaml and /healthz. No port is opened here (see serveMock).
 */
export function createMockApp(input: CreateMockAppOptions = {}): Hono<MockEnv> {
  const { store: _s, records: _r, logger: givenLogger, ...optionInput } = input
  const options = resolveOptions(optionInput)
  const logger = givenLogger ?? createLogger(options)
  const store = buildStore(options, input)
  const index = new TaskIndex(store)
  const clock = new MockClock(options.now)
  const scenarios = new ScenarioQueue()
  const journal = new Journal(options.journalSize, options.apiSecret)
  const ipAllowed = createIpCheck(options.allowIp)
  const verify = createSignVerifier(options.apiKey, options.apiSecret)
  const state: MockState = { options, store, index, clock, scenarios, journal }

  const app = new Hono<MockEnv>()
  states.set(app, state)

  const envelope = (
    status: number,
    detail?: string,
    data?: components['schemas']['TaskPage'],
  ): QueryResponse => {
    const body: QueryResponse = {
      status: options.statusType === 'string' ? String(status) : status,
      reason: reasonFor(status, detail, options.apiSecret),
    }
    if (data) body.data = data
    return body
  }

  // Date from the mock's clock, formatted once per second rather than per request.
  let dateSecond = Number.NaN
  let dateText = ''
  const httpDate = (): string => {
    const now = clock.now()
    if (now !== dateSecond) {
      dateSecond = now
      dateText = new Date(now * 1000).toUTCString()
    }
    return dateText
  }

  // A plain Response with plain headers: c.body() with more than one header, or stamping
  // c.res.headers afterwards, builds an undici Headers that @hono/node-server then iterates
  // back into an object (a few % of throughput in the CPU profile).
  const answer = (c: Context<MockEnv>, body: QueryResponse, status: number) => {
    c.set('inBand', status)
    const response = new Response(serializeEnvelope(body), {
      status: 200,
      headers: { 'Content-Type': 'application/json', Date: httpDate(), 'X-Request-Id': c.get('requestId') },
    })
    // Only once the stamped response exists: if building it threw, onError's answer needs stamping.
    c.set('stamped', true)
    return response
  }

  // Access log + journal around every request; admin and docs traffic stays out of the journal.
  let requestSeq = 0
  app.use('*', async (c, next) => {
    const started = performance.now()
    const requestId = `mock-${++requestSeq}`
    c.set('inBand', null)
    c.set('forced', null)
    c.set('requestId', requestId)
    c.set('stamped', false)
    await next()
    // The mock's clock, not the OS's: clients correct skew from `Date` (as AWS SDKs do), so a
    // frozen or shifted clock must be what they see. Node only stamps Date when it is unset.
    if (!c.get('stamped')) {
      try {
        c.res.headers.set('Date', httpDate())
        c.res.headers.set('X-Request-Id', requestId)
      } catch {
        // an immutable response (a dropped connection) has no headers to stamp
      }
    }
    const durationMs = performance.now() - started
    const path = c.req.path
    const entry = {
      method: c.req.method,
      // The shared constant rather than this request's copy (the journal keeps it a while); any
      // other path goes to the log redacted, as a client may have put its secret in a URL.
      path: path === ENDPOINT_PATH ? ENDPOINT_PATH : redactPath(path, options.apiSecret),
      httpStatus: c.res.status,
      status: c.get('inBand'),
      durationMs,
      forced: c.get('forced'),
    }
    logger.access(entry)
    if (!path.startsWith('/__admin') && !path.startsWith('/__assets') && path !== '/docs') {
      journal.add({
        timeMs: Date.now(),
        requestId,
        method: entry.method,
        path: entry.path,
        headers: c.env?.incoming?.rawHeaders ?? c.req.raw.headers,
        bodyText: c.get('bodyText'),
        httpStatus: entry.httpStatus,
        status: entry.status,
        forced: entry.forced,
        durationMs: Math.round(durationMs * 1000) / 1000,
      })
    }
  })

  app.post(ENDPOINT_PATH, async (c) => {
    const read = await readBody(c, options.maxBodyBytes)
    c.set('bodyText', read.text)
    const headerStatus = c.req.header(STATUS_HEADER)
    const headerFault = c.req.header(FAULT_HEADER)
    let directive: Directive | undefined
    if (headerStatus !== undefined) {
      const s = parseForcedStatus(headerStatus)
      if (!s.ok) return answer(c, envelope(STATUS.PARAMETER, s.detail), STATUS.PARAMETER)
      directive = { status: s.value }
    }
    if (headerFault !== undefined) {
      const f = parseFault(headerFault)
      if (!f.ok) return answer(c, envelope(STATUS.PARAMETER, f.detail), STATUS.PARAMETER)
      // A delay composes with a forced status; any other fault wins over it.
      if (f.value.kind === 'delay') await sleep(f.value.ms)
      else directive = { fault: f.value }
    }
    if (
      directive === undefined &&
      headerStatus === undefined &&
      headerFault === undefined &&
      scenarios.pending
    ) {
      directive = scenarios.take({ apiKey: c.req.header(HEADER.apiKey), body: safeParse(read.text) })
    }
    if (options.latency) {
      const { min, max } = options.latency
      await sleep(min + Math.floor(Math.random() * (max - min + 1)))
    }
    if (directive?.fault) {
      c.set('forced', faultLabel(directive.fault))
      return applyFault(c, directive.fault, () => vendorAnswer(c, read, undefined))
    }
    if (directive?.status !== undefined) c.set('forced', `status=${directive.status}`)
    const body = vendorAnswer(c, read, directive?.status)
    return answer(c, body, Number(body.status))
  })

  /** The in-band answer: forced status, or the checks in the vendor's order, then the page. */
  function vendorAnswer(c: Context<MockEnv>, read: BodyRead, forced: number | undefined): QueryResponse {
    if (forced !== undefined && forced !== 0) return envelope(forced)
    if (forced === undefined) {
      if (!ipAllowed(c.env?.incoming?.socket?.remoteAddress)) return envelope(STATUS.IP_RESTRICTED)
      const rejection = checkCredentials(
        {
          apiKey: c.req.header(HEADER.apiKey),
          timestamp: c.req.header(HEADER.timestamp)?.trim(),
          sign: c.req.header(HEADER.sign)?.trim(),
        },
        options,
        clock.now(),
        verify,
      )
      if (rejection) return envelope(rejection.status, rejection.detail)
    }
    const problem = bodyProblem(c, read)
    if (problem) return envelope(STATUS.PARAMETER, problem)
    const parsed = safeParse(read.text)
    if (parsed === PARSE_ERROR) return envelope(STATUS.PARAMETER, 'request body is not valid JSON')
    const v = validateQuery(parsed, options)
    if (!v.ok) return envelope(STATUS.PARAMETER, v.detail)
    const page = queryPage(index, v.query, options)
    if (options.completedRate === 'string') {
      page.records = page.records.map((r): TaskRecord => ({ ...r, completedRate: String(r.completedRate) }))
    }
    return envelope(STATUS.SUCCESS, undefined, page)
  }

  function bodyProblem(c: Context<MockEnv>, read: BodyRead): string | undefined {
    if (read.tooLarge) return `request body must be at most ${options.maxBodyBytes} bytes`
    const type = c.req.header('Content-Type')
    if (!type || !JSON_TYPE.test(type)) return 'Content-Type must be application/json'
    if (!read.text || read.text.trim() === '') return 'request body is required'
    return undefined
  }

  async function applyFault(
    c: Context<MockEnv>,
    fault: Fault,
    normal: () => QueryResponse,
  ): Promise<Response> {
    switch (fault.kind) {
      case 'http': {
        const headers: Record<string, string> = fault.httpStatus === 429 ? { 'Retry-After': '1' } : {}
        // A JSON body that still fits the envelope schema, so a client's parser is not the thing tested.
        const body = envelope(
          STATUS.SYSTEM,
          `mock fault http-${fault.httpStatus} ${httpFaultText(fault.httpStatus)}`,
        )
        return c.json(body, fault.httpStatus, headers)
      }
      case 'malformed': {
        const text = JSON.stringify(normal())
        return c.body(truncateJson(text), 200, { 'Content-Type': 'application/json;charset=UTF-8' })
      }
      case 'reset': {
        const socket = c.env?.incoming?.socket
        if (!socket) throw new MockConnectionReset()
        socket.destroy()
        return c.body(null, 500)
      }
      case 'delay':
        await sleep(fault.ms)
        return c.json(normal(), 200)
    }
  }

  app.get('/healthz', (c) => c.json({ ok: true, tasks: store.size, now: clock.now() }))
  app.route('/__admin', adminRoutes({ options, scenarios, journal, clock, datasetSize: store.size }))
  app.route('/', docsRoutes())

  app.all(ENDPOINT_PATH, (c) =>
    c.json({ error: 'Method Not Allowed', message: `use POST ${ENDPOINT_PATH}` }, 405, { Allow: 'POST' }),
  )
  app.notFound((c) =>
    c.json(
      {
        error: 'Not Found',
        message: `no route ${c.req.method} ${redactPath(c.req.path, options.apiSecret)}; the vendor endpoint is POST ${ENDPOINT_PATH}`,
      },
      404,
    ),
  )
  // Never a stack trace: an unexpected failure is the vendor's -18 system error.
  app.onError((err, c) => {
    if (err instanceof MockConnectionReset) throw err
    logger.log(
      'error',
      'error',
      `unhandled ${err.name} on ${c.req.method} ${redactPath(c.req.path, options.apiSecret)}`,
    )
    c.set('inBand', STATUS.SYSTEM)
    return c.json(envelope(STATUS.SYSTEM), 200)
  })
  return app
}

interface BodyRead {
  text: string | undefined
  tooLarge: boolean
}

const PARSE_ERROR = Symbol('parse error')

function safeParse(text: string | undefined): unknown {
  if (text === undefined || text === '') return PARSE_ERROR
  try {
    return JSON.parse(text)
  } catch {
    return PARSE_ERROR
  }
}

/**
 * Reads the body up to `max` bytes. A declared Content-Length over the limit is refused
 * without reading; a chunked body is read chunk by chunk and abandoned once it passes the limit.
 */
async function readBody(c: Context<MockEnv>, max: number): Promise<BodyRead> {
  const declared = c.req.header('Content-Length')
  if (declared !== undefined && Number(declared) > max) return { text: undefined, tooLarge: true }
  // With a Content-Length, read through Hono's text(): touching c.req.raw.body first makes
  // @hono/node-server build a full Request (signal, stream) per call, ~18 % of CPU in a profile.
  if (declared !== undefined) {
    const text = await c.req.text()
    return { text: text === '' ? undefined : text, tooLarge: false }
  }
  const stream = c.req.raw.body
  if (!stream) return { text: undefined, tooLarge: false }
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return { text: undefined, tooLarge: true }
    }
    chunks.push(value)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false }
}

function faultLabel(f: Fault): string {
  switch (f.kind) {
    case 'http':
      return `http-${f.httpStatus}`
    case 'delay':
      return `delay=${f.ms}`
    default:
      return f.kind
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
      recordBytes.set(r, bytes)
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
