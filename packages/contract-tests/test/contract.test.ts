import { inspect } from 'node:util'
import {
  AuthenticationError,
  createLaafficClient,
  DataExistsError,
  DataLimitError,
  IpRestrictedError,
  type LaafficApiError,
  type LaafficClient,
  LaafficConnectionError,
  LaafficHttpError,
  ParameterError,
  type QueryRequest,
  SystemError,
  type TaskPage,
  type TaskRecord,
  TimestampExpiredError,
} from '@laaffic-kit/client'
import {
  ENDPOINT_PATH,
  normalizeStatus,
  STATUS_CODES,
  signHeaders,
  toTimestampSeconds,
} from '@laaffic-kit/protocol'
import { createSpecValidator, loadSpec } from '@laaffic-kit/spec'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ContractMeta } from '../src/matrix.js'
import { type Target, targetFactories } from '../src/targets.js'

const validator = createSpecValidator()
const spec = loadSpec()
const seedExample = spec.paths[ENDPOINT_PATH].post.responses['200'].content['application/json'].examples
  .seedResponse.value as { data: { records: TaskRecord[] } }
const seedRecord = seedExample.data.records[0]!

const SEED_REQUEST: QueryRequest = {
  current: 1,
  size: 15,
  params: { startTime: '2025-01-10', endTime: '2025-02-10' },
}

const ERROR_CLASS: Record<number, new (...args: never[]) => LaafficApiError> = {
  [-1]: AuthenticationError,
  [-2]: IpRestrictedError,
  [-16]: TimestampExpiredError,
  [-18]: SystemError,
  [-20]: DataExistsError,
  [-22]: ParameterError,
  [-23]: DataLimitError,
}

/** Invalid bodies. `specInvalid`: the spec itself rejects it, so Prism answers 422 first. */
const INVALID_BODIES: Array<{ name: string; body: unknown; field: string; specInvalid: boolean }> = [
  { name: 'current 0', body: { current: 0, size: 15, params: {} }, field: 'current', specInvalid: true },
  {
    name: 'current as a string',
    body: { current: '1', size: 15, params: {} },
    field: 'current',
    specInvalid: true,
  },
  { name: 'size 0', body: { current: 1, size: 0, params: {} }, field: 'size', specInvalid: true },
  { name: 'size 101', body: { current: 1, size: 101, params: {} }, field: 'size', specInvalid: true },
  { name: 'size 1.5', body: { current: 1, size: 1.5, params: {} }, field: 'size', specInvalid: true },
  { name: 'params missing', body: { current: 1, size: 15 }, field: 'params', specInvalid: true },
  { name: 'params an array', body: { current: 1, size: 15, params: [] }, field: 'params', specInvalid: true },
  {
    name: 'malformed startTime',
    body: { current: 1, size: 15, params: { startTime: '2025/01/10' } },
    field: 'startTime',
    specInvalid: true,
  },
  {
    name: 'unknown taskStatus',
    body: { current: 1, size: 15, params: { taskStatus: [3] } },
    field: 'taskStatus',
    specInvalid: true,
  },
  {
    name: 'taskType 2',
    body: { current: 1, size: 15, params: { taskType: 2 } },
    field: 'taskType',
    specInvalid: true,
  },
  {
    name: 'finishFlag 2',
    body: { current: 1, size: 15, params: { finishFlag: 2 } },
    field: 'finishFlag',
    specInvalid: true,
  },
  {
    name: 'taskId as a number',
    body: { current: 1, size: 15, params: { taskId: 5000525 } },
    field: 'taskId',
    specInvalid: true,
  },
  {
    name: 'voiceGroupIds of strings',
    body: { current: 1, size: 15, params: { voiceGroupIds: ['a'] } },
    field: 'voiceGroupIds',
    specInvalid: true,
  },
  {
    name: 'unknown filter',
    body: { current: 1, size: 15, params: { status: 1 } },
    field: 'status',
    specInvalid: true,
  },
  {
    // The spec cannot express "start before end": only the server can catch it.
    name: 'startTime after endTime',
    body: { current: 1, size: 15, params: { startTime: '2025-02-10', endTime: '2025-01-10' } },
    field: 'startTime',
    specInvalid: false,
  },
]

function expectPageInvariants(page: TaskPage, request: { current: number; size: number }) {
  expect(validator.errors('TaskPage', page)).toEqual([])
  expect(page.size).toBe(request.size)
  expect(page.current).toBe(request.current)
  expect(page.searchCount).toBe(true)
  expect(page.pages).toBe(page.total === 0 ? 0 : Math.ceil(page.total / page.size))
  const expectedLength = Math.max(0, Math.min(page.size, page.total - (page.current - 1) * page.size))
  expect(page.records.length).toBe(expectedLength)
}

/** Calls `fn`, expecting it to throw, and returns what it threw. */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, got a result')
}

/** Sends a body as-is (no client in between): for checks on the wire format itself. */
async function rawQuery(t: Target, body: unknown, headers: Record<string, string> = {}) {
  const res = await t.fetch(new URL(ENDPOINT_PATH, t.baseUrl), {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      ...signHeaders(t.apiKey, t.apiSecret, toTimestampSeconds(t.now())),
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return { httpStatus: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe.each(targetFactories())('target $name', (factory) => {
  let t: Target
  let client: LaafficClient
  const meta = (m: Omit<ContractMeta, 'target'>) => ({ meta: { contract: { target: factory.name, ...m } } })
  const run = it.skipIf(factory.skip !== undefined)
  // Cases a target cannot take are not registered at all (they do not apply, so they are not
  // "skipped"). Only a target that is switched off (the sandbox without credentials) skips.

  if (factory.skip?.startsWith('skipped')) console.log(`${factory.name}: ${factory.skip}`)

  beforeAll(async () => {
    if (factory.skip) return
    t = await factory.start()
    client = makeClient()
  }, 60_000)
  afterAll(async () => {
    await t?.stop()
  })
  afterEach(() => {
    if (t) expect(t.takeViolations(), 'Prism found spec violations').toEqual([])
  })

  function makeClient(overrides: Partial<Parameters<typeof createLaafficClient>[0]> = {}) {
    return createLaafficClient({
      apiKey: t.apiKey,
      apiSecret: t.apiSecret,
      baseUrl: t.baseUrl,
      fetch: t.fetch,
      now: t.now,
      // Conformance, not resilience: one attempt per call, so every answer is the server's first.
      maxRetries: 0,
      timeoutMs: 10_000,
      correctClockSkew: false,
      ...overrides,
    })
  }

  run("answers the vendor's example request", meta({ status: 0, scenario: 'seed request' }), async () => {
    const page = await client.queryTasks(SEED_REQUEST)
    expectPageInvariants(page, SEED_REQUEST)
    for (const r of page.records) {
      expect(r.createTime >= '2025-01-10 00:00:00' && r.createTime <= '2025-02-10 23:59:59').toBe(true)
    }
    if (t.knownData) {
      expect(page.total).toBeGreaterThan(0)
      const one = await client.queryTasks({
        current: 1,
        size: 15,
        params: { ...SEED_REQUEST.params, taskId: '5000525' },
      })
      expect(one.records).toEqual([seedRecord])
    }
  })

  run(
    'prints status as the target is configured, and the client reads both forms',
    meta({ scenario: 'status as string / number' }),
    async () => {
      const ok = await rawQuery(t, SEED_REQUEST)
      const bad = await rawQuery(t, { current: 1, size: 101, params: {} })
      expect(validator.errors('QueryResponse', ok.body)).toEqual([])
      if (!t.specGate) expect(validator.errors('QueryResponse', bad.body)).toEqual([])
      expect(normalizeStatus(ok.body.status)).toBe(0)
      if (t.statusType !== 'unknown') {
        expect(typeof ok.body.status).toBe(t.statusType)
        if (!t.specGate) expect(typeof bad.body.status).toBe(t.statusType)
      }
      // …and the client reads this target's form into the same page the raw body holds.
      // (A real sandbox may gain tasks between the two calls: there only the paging figures count.)
      const page = await client.queryTasks(SEED_REQUEST)
      const raw = (ok.body as { data: TaskPage }).data
      if (t.knownData) expect(page).toEqual(raw)
      else
        expect([page.size, page.current, page.searchCount]).toEqual([raw.size, raw.current, raw.searchCount])
    },
  )

  run('walks every page exactly once (MyBatis-Plus paging)', meta({ scenario: 'paging walk' }), async () => {
    const size = t.knownData ? 25 : 100
    const maxPages = t.knownData ? Number.POSITIVE_INFINITY : 20
    const ids = new Set<number>()
    let total = -1
    let pages = -1
    let seen = 0
    let walked = 0
    for await (const page of client.iterateTasks({ size, params: {} }).pages()) {
      expectPageInvariants(page, { current: walked + 1, size })
      if (total === -1) ({ total, pages } = page)
      expect([page.total, page.pages]).toEqual([total, pages])
      for (const r of page.records) ids.add(r.taskId)
      seen += page.records.length
      walked++
      if (walked >= maxPages) break
    }
    expect(ids.size).toBe(seen)
    if (walked < maxPages) {
      expect(seen).toBe(total)
      expect(walked).toBe(pages)
    }
    const past = await client.queryTasks({ current: pages + 1, size, params: {} })
    expect(past.records).toEqual([])
    expect([past.total, past.pages, past.current]).toEqual([total, pages, pages + 1])
  })

  run('size 1 and size 100 pages are the same order', meta({ scenario: 'paging walk' }), async () => {
    const big = await client.queryTasks({ current: 1, size: 100, params: {} })
    const firstThree = []
    for (let current = 1; current <= Math.min(3, big.total); current++)
      firstThree.push(...(await client.queryTasks({ current, size: 1, params: {} })).records)
    expect(firstThree.map((r) => r.taskId)).toEqual(big.records.slice(0, 3).map((r) => r.taskId))
  })

  describe('filters', () => {
    let sample: TaskRecord[] = []
    beforeAll(async () => {
      if (!factory.skip) sample = (await client.queryTasks({ current: 1, size: 100, params: {} })).records
    })

    const cases: Array<{
      name: string
      params: (s: TaskRecord[]) => QueryRequest['params']
      keep: (r: TaskRecord, s: TaskRecord[]) => boolean
    }> = [
      {
        name: 'taskStatus',
        params: () => ({ taskStatus: [12, 15] }),
        keep: (r) => [12, 15].includes(r.taskStatus),
      },
      { name: 'taskType', params: () => ({ taskType: 1 }), keep: (r) => r.taskType === 1 },
      { name: 'finishFlag', params: () => ({ finishFlag: 1 }), keep: (r) => r.finishFlag === 1 },
      {
        name: 'voiceGroupIds',
        params: (s) => ({ voiceGroupIds: [s[0]?.voiceGroupId[0] ?? 1] }),
        keep: (r, s) => r.voiceGroupId.includes(s[0]?.voiceGroupId[0] ?? 1),
      },
      {
        name: 'taskId',
        params: (s) => ({ taskId: String(s[1]?.taskId ?? 1) }),
        keep: (r, s) => r.taskId === (s[1]?.taskId ?? 1),
      },
      {
        name: 'date range (date-only bounds)',
        params: () => ({ startTime: '2025-01-15', endTime: '2025-01-20' }),
        keep: (r) => r.createTime >= '2025-01-15 00:00:00' && r.createTime <= '2025-01-20 23:59:59',
      },
      {
        name: 'date range (to the second)',
        params: () => ({ startTime: '2025-01-15 12:00:00', endTime: '2025-01-16 11:59:59' }),
        keep: (r) => r.createTime >= '2025-01-15 12:00:00' && r.createTime <= '2025-01-16 11:59:59',
      },
      {
        name: 'all filters combined (AND)',
        params: () => ({
          startTime: '2024-01-01',
          endTime: '2026-12-31',
          taskStatus: [11, 12, 15],
          taskType: 1,
          finishFlag: 0,
        }),
        keep: (r) => [11, 12, 15].includes(r.taskStatus) && r.taskType === 1 && r.finishFlag === 0,
      },
    ]

    for (const c of cases)
      run(`${c.name}: every record matches`, meta({ status: 0, scenario: 'filters' }), async () => {
        const params = c.params(sample)
        const page = await client.queryTasks({ current: 1, size: 100, params })
        expectPageInvariants(page, { current: 1, size: 100 })
        for (const r of page.records)
          expect(c.keep(r, sample), `record ${r.taskId} vs ${JSON.stringify(params)}`).toBe(true)
        // Where the unfiltered first page already shows matches, the filter must find them.
        if (sample.some((r) => c.keep(r, sample))) expect(page.total).toBeGreaterThan(0)
      })
  })

  describe('validation', () => {
    for (const bad of INVALID_BODIES)
      run(
        `${bad.name} → -22 naming ${bad.field}`,
        meta({ status: -22, scenario: 'validation' }),
        async () => {
          const error = await rejection(() => client.queryTasks(bad.body as QueryRequest))
          if (t.specGate && bad.specInvalid) {
            // Prism rejected it against the spec before the mock saw it: spec and mock agree.
            expect(error).toBeInstanceOf(LaafficHttpError)
            expect((error as LaafficHttpError).httpStatus).toBe(422)
            expect((error as LaafficHttpError).bodyExcerpt).toContain(bad.field)
            return
          }
          expect(error).toBeInstanceOf(ParameterError)
          expect((error as ParameterError).code).toBe(-22)
          if (t.knownData) expect((error as ParameterError).reason).toContain(bad.field)
        },
      )
  })

  describe('natural failures (what a real server does without side effects)', () => {
    run(
      'a wrong apiSecret → -1 AuthenticationError',
      meta({ status: -1, scenario: 'natural failures' }),
      async () => {
        const error = await rejection(() =>
          makeClient({ apiSecret: `${t.apiSecret}-wrong` }).queryTasks(SEED_REQUEST),
        )
        expect(error).toBeInstanceOf(AuthenticationError)
        expect((error as AuthenticationError).code).toBe(-1)
        // Neither the (wrong) secret nor the Sign it produced may show in any view of the error.
        const wrong = `${t.apiSecret}-wrong`
        const ts = toTimestampSeconds(t.now())
        const signs = [-2, -1, 0, 1, 2].map((d) => signHeaders(t.apiKey, wrong, ts + d).Sign)
        const views = [
          String(error),
          (error as Error).stack ?? '',
          JSON.stringify(error),
          inspect(error, { depth: 10 }),
        ]
        for (const view of views) {
          expect(view).not.toContain(wrong)
          for (const sign of signs) expect(view).not.toContain(sign)
        }
      },
    )
    run('an unknown Api-Key → -1', meta({ status: -1, scenario: 'natural failures' }), async () => {
      const error = await rejection(() => makeClient({ apiKey: 'unknownKey' }).queryTasks(SEED_REQUEST))
      expect(error).toBeInstanceOf(AuthenticationError)
    })
    run(
      'a Timestamp an hour old → -16 TimestampExpiredError',
      meta({ status: -16, scenario: 'natural failures' }),
      async () => {
        const error = await rejection(() =>
          makeClient({ now: () => t.now() - 3_600_000 }).queryTasks(SEED_REQUEST),
        )
        expect(error).toBeInstanceOf(TimestampExpiredError)
        expect((error as TimestampExpiredError).code).toBe(-16)
      },
    )
    run(
      "a client clock an hour slow recovers once from the server's Date",
      meta({ status: -16, scenario: 'clock skew' }),
      async () => {
        const skewed = makeClient({ now: () => t.now() - 3_600_000, correctClockSkew: true, maxRetries: 0 })
        const page = await skewed.queryTasks(SEED_REQUEST)
        expect(page.current).toBe(1)
        expect(Math.abs(skewed.clockOffsetMs - 3_600_000)).toBeLessThan(5_000)
      },
    )
    run(
      'an invalid body → -22 ParameterError',
      meta({ status: -22, scenario: 'natural failures' }),
      async () => {
        const body = { current: 1, size: 15, params: { startTime: '2025-02-10', endTime: '2025-01-10' } }
        const error = await rejection(() => client.queryTasks(body))
        expect(error).toBeInstanceOf(ParameterError)
      },
    )
  })

  if (!factory.name.startsWith('sandbox'))
    describe('every status on demand (X-Mock-Status)', () => {
      for (const s of STATUS_CODES)
        run(
          `X-Mock-Status ${s.code} → ${s.code === 0 ? 'a page' : (ERROR_CLASS[s.code]?.name ?? '?')}`,
          meta({ status: s.code, scenario: 'forced status' }),
          async () => {
            const headers = { 'X-Mock-Status': String(s.code) }
            if (s.code === 0) {
              expectPageInvariants(await client.queryTasks(SEED_REQUEST, { headers }), SEED_REQUEST)
              return
            }
            const error = await rejection(() => client.queryTasks(SEED_REQUEST, { headers }))
            expect(error).toBeInstanceOf(ERROR_CLASS[s.code]!)
            expect(error).toMatchObject({
              code: s.code,
              reason: expect.stringContaining(s.reason),
              httpStatus: 200,
            })
            const raw = await rawQuery(t, SEED_REQUEST, headers)
            expect(validator.errors('QueryResponse', raw.body)).toEqual([])
          },
        )
    })

  if (factory.name === 'mock' || factory.name === 'mock-http')
    // Prism would (rightly) flag the non-spec 5xx answers, so faults stay on the two plain mocks.
    describe('transport faults on demand (X-Mock-Fault, /__admin/scenarios)', () => {
      for (const code of [500, 502, 503, 429])
        run(`http-${code} → LaafficHttpError ${code}`, meta({ scenario: 'faults' }), async () => {
          const error = await rejection(() =>
            client.queryTasks(SEED_REQUEST, { headers: { 'X-Mock-Fault': `http-${code}` } }),
          )
          expect(error).toBeInstanceOf(LaafficHttpError)
          expect((error as LaafficHttpError).httpStatus).toBe(code)
        })
      run('malformed → LaafficHttpError with a body excerpt', meta({ scenario: 'faults' }), async () => {
        const error = await rejection(() =>
          client.queryTasks(SEED_REQUEST, { headers: { 'X-Mock-Fault': 'malformed' } }),
        )
        expect(error).toBeInstanceOf(LaafficHttpError)
        expect((error as LaafficHttpError).bodyExcerpt.length).toBeGreaterThan(0)
      })
      run(
        'a queued 503 then -18 are retried away (admin scenarios)',
        meta({ scenario: 'faults' }),
        async () => {
          const admin = (path: string, body?: unknown) =>
            t.fetch(new URL(path, t.baseUrl), {
              method: body === undefined ? 'DELETE' : 'POST',
              headers: { 'Content-Type': 'application/json' },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            })
          expect((await admin('/__admin/requests')).ok).toBe(true)
          expect((await admin('/__admin/scenarios', { fault: 'http-503', times: 1 })).ok).toBe(true)
          expect((await admin('/__admin/scenarios', { status: -18, times: 1 })).ok).toBe(true)
          const retrying = makeClient({ maxRetries: 2, sleep: async () => {} })
          const page = await retrying.queryTasks(SEED_REQUEST)
          expectPageInvariants(page, SEED_REQUEST)
          const journal = (await (await t.fetch(new URL('/__admin/requests', t.baseUrl))).json()) as {
            requests: Array<{
              id: number
              httpStatus: number
              status: number | null
              headers: Record<string, string>
            }>
          }
          // Three attempts: the 503, the -18, the success, each signed afresh and journaled redacted.
          const attempts = [...journal.requests].sort((a, b) => a.id - b.id)
          expect(attempts.map((r) => [r.httpStatus, r.status])).toEqual([
            [503, null],
            [200, -18],
            [200, 0],
          ])
          for (const r of attempts) expect(r.headers.sign).toBe('[redacted]')
          // The frozen clock means every attempt carried this one Sign: it must be nowhere.
          const sign = signHeaders(t.apiKey, t.apiSecret, toTimestampSeconds(t.now())).Sign
          expect(JSON.stringify(journal)).not.toContain(sign)
        },
      )
      if (factory.name === 'mock-http')
        run(
          'reset → LaafficConnectionError, and the server lives on',
          meta({ scenario: 'faults' }),
          async () => {
            const error = await rejection(() =>
              client.queryTasks(SEED_REQUEST, { headers: { 'X-Mock-Fault': 'reset' } }),
            )
            expect(error).toBeInstanceOf(LaafficConnectionError)
            expect((await client.queryTasks(SEED_REQUEST)).current).toBe(1)
          },
        )
    })
})
