import { createMockApp, silentLogger } from '@laaffic-kit/mock-server'
import {
  ENDPOINT_PATH,
  normalizeStatus,
  OPERATIONS,
  type OperationDef,
  signHeaders,
} from '@laaffic-kit/protocol'
import { createSpecValidator, loadSpec } from '@laaffic-kit/spec'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fuzzConfig } from '../src/fuzz-config.js'
import { type FuzzRequest, requestsFor, type WorldSample } from '../src/operation-arbitraries.js'
import { operation, type RawTarget, responseSchemaOf, wallClock } from '../src/operations.js'
import { type RunningProcess, startMockProcess } from '../src/processes.js'
import { createAdminAccount, MOCK_NOW_SECONDS } from '../src/targets.js'
import { observeTaskWrite, type TaskExpectation } from '../src/task-check.js'
import { readWorld, sampleOf, uploadSampleFile, worldProblems } from '../src/world-check.js'

// Fixed seed in CI, bigger runs on demand: FC_SEED=… FC_RUNS=5000 pnpm contract
const { seed, numRuns } = fuzzConfig()
fc.configureGlobal({ seed, numRuns, endOnFailure: true })

const validator = createSpecValidator()
const KEY = 'bDqJFiq9'
const SECRET = '7bz1lzh9'
const signed = () => ({ 'Content-Type': 'application/json', ...signHeaders(KEY, SECRET, MOCK_NOW_SECONDS) })

const pad = (n: number) => String(n).padStart(2, '0')
interface Sample {
  records: Record<string, unknown>[]
  days: string[]
  groups: number[]
}

const randomDay = fc
  .record({
    y: fc.integer({ min: 2024, max: 2026 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`)
const timeArb = fc
  .record({
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
  })
  .map(({ h, mi, s }) => `${pad(h)}:${pad(mi)}:${pad(s)}`)
// Filter names and statuses come from the spec, so the fuzzer follows it rather than a copy.
const schemas = loadSpec().components.schemas
const STATUSES = schemas.TaskStatus.enum as number[]
const FILTERS = Object.keys(schemas.QueryParams.properties)

type Params = Record<string, unknown>

/** Start ≤ end, so the server must answer 0; a same-day pair becomes whole days. */
function ordered(params: Params): Params {
  const { startTime, endTime } = params as { startTime?: string; endTime?: string }
  if (!startTime || !endTime) return params
  if (startTime.slice(0, 10) > endTime.slice(0, 10))
    return { ...params, startTime: endTime, endTime: startTime }
  if (startTime.slice(0, 10) === endTime.slice(0, 10))
    return { ...params, startTime: startTime.slice(0, 10), endTime: endTime.slice(0, 10) }
  return params
}

/**
 * Bodies the spec accepts. Three in four are built around a real task (an "anchor"): a random
 * subset of filters, each set so the anchor matches, so most runs return records and the
 * "every record matches" check has something to check; the rest are random filters.
 */
function validBody(sample: Sample) {
  const anchored = fc
    .record({
      anchor: fc.constantFrom(...sample.records),
      keys: fc.subarray(FILTERS),
      extraStatuses: fc.subarray(STATUSES, { maxLength: 2 }),
      extraGroups: fc.subarray(sample.groups, { maxLength: 2 }),
      withTime: fc.boolean(),
    })
    .map(({ anchor, keys, extraStatuses, extraGroups, withTime }) => {
      const created = anchor.createTime as string
      const all: Params = {
        startTime: withTime ? created : created.slice(0, 10),
        endTime: withTime ? created : created.slice(0, 10),
        taskId: String(anchor.taskId),
        taskStatus: [anchor.taskStatus, ...extraStatuses],
        taskType: anchor.taskType,
        finishFlag: anchor.finishFlag,
        voiceGroupIds: [(anchor.voiceGroupId as number[])[0] ?? sample.groups[0], ...extraGroups],
      }
      return Object.fromEntries(keys.map((k) => [k, all[k]]))
    })
  const day = fc.oneof(fc.constantFrom(...sample.days), randomDay)
  const bound = fc.oneof(
    day,
    fc.tuple(day, timeArb).map(([d, t]) => `${d} ${t}`),
  )
  const random = fc.record(
    {
      startTime: bound,
      endTime: bound,
      taskId: fc.integer({ min: 1, max: 9_999_999 }).map(String),
      taskStatus: fc.subarray(STATUSES),
      taskType: fc.constantFrom(0, 1),
      finishFlag: fc.constantFrom(0, 1),
      voiceGroupIds: fc.array(fc.constantFrom(...sample.groups), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  return fc.record({
    current: fc.oneof(
      { weight: 3, arbitrary: fc.constant(1) },
      { weight: 1, arbitrary: fc.integer({ min: 2, max: 4 }) },
    ),
    size: fc.integer({ min: 1, max: 100 }),
    params: fc.oneof({ weight: 3, arbitrary: anchored }, { weight: 1, arbitrary: random }).map(ordered),
  })
}

/** Anything at all: JSON values of every shape, near-misses of valid bodies, and non-JSON text. */
const anyBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        current: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        size: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string(), fc.boolean()),
        params: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue()), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)

/** Header sets from correct to garbage, never X-Mock-* (those ask for failures on purpose). */
const headersFor = (key: string, secret: string) =>
  fc.oneof(
    fc.constant({ 'Content-Type': 'application/json', ...signHeaders(key, secret, MOCK_NOW_SECONDS) }),
    fc.record(
      {
        'Content-Type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/json;charset=UTF-8',
          '',
        ),
        'Api-Key': fc.oneof(fc.constant(key), fc.string({ maxLength: 40 })),
        Timestamp: fc.oneof(
          fc.constant(String(MOCK_NOW_SECONDS)),
          fc.string({ maxLength: 20 }),
          fc.integer().map(String),
        ),
        Sign: fc.oneof(
          fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }),
          fc.string({ maxLength: 40 }),
        ),
      },
      { requiredKeys: [] },
    ),
  )
const anyHeaders = headersFor(KEY, SECRET)
/** Mostly correctly signed (so writes really happen), sometimes anything. */
const mostlySigned = (key: string, secret: string) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constant({
        'Content-Type': 'application/json',
        ...signHeaders(key, secret, MOCK_NOW_SECONDS),
      }),
    },
    { weight: 1, arbitrary: headersFor(key, secret) },
  )

/** Header values must be ByteStrings without CR/LF; fetch would throw before sending otherwise. */
const sendable = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?').trim()]))

function matches(r: Record<string, unknown>, params: Record<string, unknown>): boolean {
  const p = params as {
    startTime?: string
    endTime?: string
    taskId?: string
    taskStatus?: number[]
    taskType?: number
    finishFlag?: number
    voiceGroupIds?: number[]
  }
  const created = r.createTime as string
  if (p.startTime && created < (p.startTime.length === 10 ? `${p.startTime} 00:00:00` : p.startTime))
    return false
  if (p.endTime && created > (p.endTime.length === 10 ? `${p.endTime} 23:59:59` : p.endTime)) return false
  if (p.taskId && String(r.taskId) !== p.taskId) return false
  if (p.taskStatus?.length && !p.taskStatus.includes(r.taskStatus as number)) return false
  if (p.taskType !== undefined && r.taskType !== p.taskType) return false
  if (p.finishFlag !== undefined && r.finishFlag !== p.finishFlag) return false
  if (p.voiceGroupIds?.length && !(r.voiceGroupId as number[]).some((g) => p.voiceGroupIds!.includes(g)))
    return false
  return true
}

describe(`property-based fuzzing (fast-check seed ${seed}, ${numRuns} runs)`, () => {
  const app = createMockApp({ apiKey: KEY, apiSecret: SECRET, now: MOCK_NOW_SECONDS, logger: silentLogger })
  const call = async (body: string, headers: Record<string, string>) => {
    const res = await app.request(ENDPOINT_PATH, { method: 'POST', headers, body })
    return { http: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  it('any valid body → status 0, a spec-valid page, and only matching records', async () => {
    // The whole default dataset (237 tasks), read through the endpoint itself.
    const all: Record<string, unknown>[] = []
    for (let current = 1; current <= 3; current++) {
      const res = await call(JSON.stringify({ current, size: 100, params: {} }), signed())
      all.push(...(res.body.data as { records: Record<string, unknown>[] }).records)
    }
    expect(all.length).toBeGreaterThan(200)
    const sample: Sample = {
      records: all,
      days: [...new Set(all.map((r) => (r.createTime as string).slice(0, 10)))],
      groups: [...new Set(all.flatMap((r) => r.voiceGroupId as number[]))],
    }
    let runs = 0
    let withRecords = 0
    await fc.assert(
      fc.asyncProperty(validBody(sample), async (body) => {
        runs++
        const res = await call(JSON.stringify(body), signed())
        expect(res.http).toBe(200)
        expect(validator.errors('QueryResponse', res.body)).toEqual([])
        expect(normalizeStatus(res.body.status), JSON.stringify(res.body)).toBe(0)
        const data = res.body.data as { total: number; pages: number; records: Record<string, unknown>[] }
        expect(data.pages).toBe(Math.ceil(data.total / body.size))
        if (data.records.length > 0) withRecords++
        for (const r of data.records) expect(matches(r, body.params)).toBe(true)
        // The filter must also not lose matches: the dataset's own count for these filters.
        expect(data.total).toBe(all.filter((r) => matches(r, body.params)).length)
      }),
    )
    // Guard against a property that passes by checking nothing.
    expect(withRecords / runs).toBeGreaterThan(0.3)
  })

  it('any body with any headers → HTTP 200 and a spec-valid envelope, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, anyHeaders, async (body, headers) => {
        const res = await app.request(ENDPOINT_PATH, { method: 'POST', headers: sendable(headers), body })
        expect(res.status).toBe(200)
        const json = await res.json()
        expect(validator.errors('QueryResponse', json)).toEqual([])
      }),
    )
  })
})

/** Per-operation runs: a third of FC_RUNS each (50 by default), so the fourteen stay within a few seconds. */
const opRuns = Math.max(1, Math.ceil(numRuns / 3))
const NOW_MS = MOCK_NOW_SECONDS * 1000

/** Sends one fuzzed request to an operation; GET operations carry the query string only. */
function fuzzInit(op: OperationDef, req: FuzzRequest, headers: Record<string, string>) {
  const path = `${op.path}${req.query ? `?${req.query}` : ''}`
  const init: RequestInit = { method: op.method, headers: sendable(headers) }
  if (op.method === 'POST' && req.body !== undefined) init.body = req.body
  return { path, init }
}

describe(`every operation, in process (fast-check seed ${seed}, ${opRuns} runs each)`, () => {
  const app = createMockApp({ apiKey: KEY, apiSecret: SECRET, now: MOCK_NOW_SECONDS, logger: silentLogger })
  const target: RawTarget = {
    baseUrl: 'http://mock.local',
    apiKey: KEY,
    apiSecret: SECRET,
    fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
    now: () => NOW_MS,
  }
  let sample: WorldSample
  let file: string | undefined
  // What the fuzzed submits and resends created (and edits changed): the world check holds
  // preview/query to it at the end.
  const created = new Map<number, TaskExpectation>()
  // Re-read before each operation: the groups addSeatGroup made (no seats yet) are what lets
  // deleteSeatGroup succeed, the seats addSeats made what updateSeat and batchSeats aim at, the
  // tasks submitTask made what editTask, cancelTask and resendTask aim at.
  beforeEach(async () => {
    file ??= await uploadSampleFile(target)
    sample = sampleOf(await readWorld(target), [], [file])
  })

  it.each(OPERATIONS.map((o) => [o.id]))(
    '%s: valid, near-miss and garbage requests → HTTP 200 and an envelope its response schema accepts',
    async (id) => {
      const op = operation(id)
      const schema = responseSchemaOf(id)
      const seen = new Map<number, number>()
      await fc.assert(
        fc.asyncProperty(
          requestsFor(op.id, op.method, sample, NOW_MS),
          mostlySigned(KEY, SECRET),
          async (req, headers) => {
            const { path, init } = fuzzInit(op, req, headers)
            const res = await app.request(path, init)
            expect(res.status).toBe(200)
            const json = (await res.json()) as { status: unknown }
            expect(validator.errors(schema, json), JSON.stringify(json).slice(0, 300)).toEqual([])
            observeTaskWrite(created, id, req.body, json, wallClock(NOW_MS))
            const status = normalizeStatus(json.status) as number
            seen.set(status, (seen.get(status) ?? 0) + 1)
          },
        ),
        { numRuns: opRuns },
      )
      // Guard against a property that passes by checking nothing: it saw successes and failures.
      if (opRuns >= 20) {
        expect(seen.get(0) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0)
        expect([...seen.keys()].some((s) => s !== 0)).toBe(true)
        // The upload's random bytes and near-miss files must reach the file reader, not stop at -22.
        if (id === 'uploadPreviewFile')
          expect(seen.get(-39) ?? 0, JSON.stringify([...seen])).toBeGreaterThan(0)
      }
    },
  )

  it('leaves the world consistent (seat counts, task counters, API-created tasks as submitted)', async () => {
    // A property that created nothing would prove nothing about API-created tasks.
    if (opRuns >= 20) expect(created.size).toBeGreaterThan(0)
    expect(await worldProblems(target, created)).toEqual([])
  })
})

describe('fuzzing a real mock process over HTTP', () => {
  let proc: RunningProcess
  beforeAll(async () => {
    proc = await startMockProcess(['--now', String(MOCK_NOW_SECONDS), '--log-format', 'json'])
  }, 30_000)
  afterAll(async () => {
    await proc?.stop()
  })

  it('never answers 5xx and never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, anyHeaders, async (body, headers) => {
        const res = await fetch(new URL(ENDPOINT_PATH, proc.url), {
          method: 'POST',
          headers: sendable(headers),
          body,
        })
        expect(res.status).toBeLessThan(500)
        expect(validator.errors('QueryResponse', await res.json())).toEqual([])
      }),
      { numRuns: Math.ceil(numRuns / 2) },
    )
    expect(proc.child.exitCode).toBeNull()
    expect((await fetch(new URL('/healthz', proc.url))).status).toBe(200)
  })

  it('every operation in one account of its own: never a 5xx, spec-valid envelopes, alive and consistent after', async () => {
    const admin = { baseUrl: proc.url, fetch }
    const account = await createAdminAccount(admin, { tasks: 50 })
    try {
      const target: RawTarget = { baseUrl: proc.url, ...account, fetch, now: () => NOW_MS }
      const sample = sampleOf(await readWorld(target), account.apps, [await uploadSampleFile(target)])
      const created = new Map<number, TaskExpectation>()
      const anyRequest = fc
        .constantFrom(...OPERATIONS)
        .chain((op) => requestsFor(op.id, op.method, sample, NOW_MS).map((req) => ({ op, req })))
      await fc.assert(
        fc.asyncProperty(
          anyRequest,
          mostlySigned(account.apiKey, account.apiSecret),
          async ({ op, req }, headers) => {
            const { path, init } = fuzzInit(op, req, headers)
            const res = await fetch(new URL(path, proc.url), init)
            expect(res.status).toBeLessThan(500)
            const json: unknown = await res.json()
            expect(validator.errors(responseSchemaOf(op.id), json)).toEqual([])
            observeTaskWrite(created, op.id, req.body, json, wallClock(NOW_MS))
          },
        ),
        { numRuns: Math.ceil(numRuns / 2) },
      )
      expect(proc.child.exitCode).toBeNull()
      expect((await fetch(new URL('/healthz', proc.url))).status).toBe(200)
      expect(await worldProblems(target, created)).toEqual([])
    } finally {
      await fetch(new URL(`/__admin/accounts/${account.apiKey}`, proc.url), { method: 'DELETE' })
    }
  })
})
