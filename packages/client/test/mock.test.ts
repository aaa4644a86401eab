import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMockApp, serveMock } from '@laaffic-kit/mock-server'
import { STATUS_CODES } from '@laaffic-kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AuthenticationError,
  createLaafficClient,
  DataExistsError,
  DataLimitError,
  IpRestrictedError,
  LaafficApiError,
  type LaafficClientOptions,
  LaafficConnectionError,
  LaafficHttpError,
  LaafficTimeoutError,
  ParameterError,
  type QueryParams,
  SystemError,
  type TaskRecord,
  TimestampExpiredError,
} from '../src/index.js'
import { KEY, recordingSleep, SECRET } from './helpers.js'

const TASKS = 300
const app = createMockApp({ apiKey: KEY, apiSecret: SECRET, tasks: TASKS, seed: 7, logLevel: 'silent' })

/** The mock in process, with a count of what reached it. */
function mockClient(options: Partial<LaafficClientOptions> = {}) {
  const seen: Request[] = []
  const c = createLaafficClient({
    apiKey: KEY,
    apiSecret: SECRET,
    baseUrl: 'http://mock.local',
    fetch: (req) => {
      seen.push(req)
      return app.fetch(req)
    },
    sleep: async () => {},
    ...options,
  })
  return { client: c, seen }
}

async function scenario(body: Record<string, unknown>) {
  const res = await app.request('/__admin/scenarios', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.ok).toBe(true)
}

let all: TaskRecord[] = []
beforeAll(async () => {
  all = await mockClient().client.iterateTasks({ params: {} }).toArray()
})

describe('against the mock app in process', () => {
  it('returns a typed first page', async () => {
    const page = await mockClient().client.queryTasks({ current: 1, size: 15, params: {} })
    expect(page).toMatchObject({ total: TASKS, size: 15, current: 1, pages: 20, searchCount: true })
    expect(page.records).toHaveLength(15)
    expect(typeof page.records[0]!.numberTotalCount).toBe('string')
  })

  it('pages through every task exactly once, whatever the page size', async () => {
    expect(all).toHaveLength(TASKS)
    const ids = all.map((t) => t.taskId)
    expect(new Set(ids).size).toBe(TASKS)
    for (const size of [7, 100]) {
      const { client, seen } = mockClient()
      const got = (await client.iterateTasks({ size, params: {} }).toArray()).map((t) => t.taskId)
      expect(got).toEqual(ids)
      expect(seen).toHaveLength(Math.ceil(TASKS / size))
    }
  })

  it('pages() reports the mock totals', async () => {
    const currents: number[] = []
    for await (const p of mockClient().client.iterateTasks({ size: 50, params: {} }).pages()) {
      expect(p.total).toBe(TASKS)
      currents.push(p.current)
    }
    expect(currents).toEqual([1, 2, 3, 4, 5, 6])
  })

  describe('filters', () => {
    const pick = () => all[Math.floor(all.length / 3)]!
    const day = (t: TaskRecord) => t.createTime.slice(0, 10)
    const cases: Array<[string, () => QueryParams, (t: TaskRecord, q: QueryParams) => boolean]> = [
      ['taskStatus', () => ({ taskStatus: [12, 14] }), (t) => [12, 14].includes(t.taskStatus)],
      ['taskType', () => ({ taskType: 1 }), (t) => t.taskType === 1],
      ['finishFlag', () => ({ finishFlag: 0 }), (t) => t.finishFlag === 0],
      ['taskId', () => ({ taskId: String(pick().taskId) }), (t, q) => String(t.taskId) === q.taskId],
      [
        'voiceGroupIds',
        () => ({ voiceGroupIds: [pick().voiceGroupId[0]!] }),
        (t, q) => t.voiceGroupId.some((g) => q.voiceGroupIds!.includes(g)),
      ],
      ['startTime', () => ({ startTime: day(pick()) }), (t, q) => day(t) >= q.startTime!],
      ['endTime', () => ({ endTime: day(pick()) }), (t, q) => day(t) <= q.endTime!],
      [
        'startTime + endTime + taskStatus',
        () => ({ startTime: day(all[all.length - 1]!), endTime: day(pick()), taskStatus: [12] }),
        (t, q) => day(t) >= q.startTime! && day(t) <= q.endTime! && t.taskStatus === 12,
      ],
    ]
    for (const [name, params, matches] of cases) {
      it(`${name}: returns exactly the matching tasks`, async () => {
        const q = params()
        const expected = all.filter((t) => matches(t, q)).map((t) => t.taskId)
        expect(expected.length).toBeGreaterThan(0)
        const got = await mockClient().client.iterateTasks({ size: 100, params: q }).toArray()
        expect(got.map((t) => t.taskId)).toEqual(expected)
      })
    }
  })

  describe('in-band statuses forced with X-Mock-Status', () => {
    const classes: Record<number, new (...args: never[]) => LaafficApiError> = {
      [-1]: AuthenticationError,
      [-2]: IpRestrictedError,
      [-16]: TimestampExpiredError,
      [-18]: SystemError,
      [-20]: DataExistsError,
      [-22]: ParameterError,
      [-23]: DataLimitError,
    }
    for (const { code } of STATUS_CODES.filter((s) => s.code !== 0)) {
      it(`${code} → ${classes[code]!.name}`, async () => {
        const { client, seen } = mockClient()
        const err = await client
          .queryTasks({ current: 1, size: 15, params: {} }, { headers: { 'X-Mock-Status': String(code) } })
          .catch((e: unknown) => e)
        expect(err).toBeInstanceOf(classes[code]!)
        expect((err as LaafficApiError).code).toBe(code)
        expect((err as LaafficApiError).httpStatus).toBe(200)
        expect(seen).toHaveLength(code === -18 ? 3 : 1) // only -18 is retried
      })
    }
    it.each([-15, -24])('unknown %i → base LaafficApiError', async (code) => {
      const err = await mockClient()
        .client.queryTasks(
          { current: 1, size: 15, params: {} },
          { headers: { 'X-Mock-Status': String(code) } },
        )
        .catch((e: unknown) => e)
      expect((err as Error).constructor).toBe(LaafficApiError)
      expect((err as LaafficApiError).code).toBe(code)
    })

    it('accepts a mock that prints status as a string', async () => {
      const strApp = createMockApp({
        apiKey: KEY,
        apiSecret: SECRET,
        tasks: 3,
        statusType: 'string',
        logLevel: 'silent',
      })
      const c = createLaafficClient({ apiKey: KEY, apiSecret: SECRET, fetch: (r) => strApp.fetch(r) })
      await expect(c.queryTasks({ current: 1, size: 15, params: {} })).resolves.toMatchObject({ total: 3 })
      const err = await c
        .queryTasks({ current: 1, size: 15, params: {} }, { headers: { 'X-Mock-Status': '-22' } })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ParameterError)
    })
  })

  describe('real failures', () => {
    it('wrong secret → AuthenticationError', async () => {
      const { client } = mockClient({ apiSecret: 'wrong-secret' })
      await expect(client.queryTasks({ current: 1, size: 15, params: {} })).rejects.toBeInstanceOf(
        AuthenticationError,
      )
    })
    it('size 101 → ParameterError naming the field', async () => {
      const err = await mockClient()
        .client.queryTasks({ current: 1, size: 101, params: {} })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ParameterError)
      expect((err as ParameterError).reason).toMatch(/size/)
    })
    it('a clock an hour off → TimestampExpiredError when correction is off', async () => {
      const { client, seen } = mockClient({ now: () => Date.now() - 3_600_000, correctClockSkew: false })
      await expect(client.queryTasks({ current: 1, size: 15, params: {} })).rejects.toBeInstanceOf(
        TimestampExpiredError,
      )
      expect(seen).toHaveLength(1)
    })
    it('a clock an hour off → corrected from the mock Date header, then success', async () => {
      const { client, seen } = mockClient({ now: () => Date.now() - 3_600_000, maxRetries: 0 })
      await expect(client.queryTasks({ current: 1, size: 15, params: {} })).resolves.toBeDefined()
      expect(seen).toHaveLength(2)
    })
  })

  describe('faults', () => {
    const Q = { current: 1, size: 15, params: {} }
    it.each(['http-500', 'http-502', 'http-503', 'http-429'])(
      '%s on every attempt → retried, then LaafficHttpError',
      async (fault) => {
        const { sleep, delays } = recordingSleep()
        const { client, seen } = mockClient({ sleep })
        const err = await client
          .queryTasks(Q, { headers: { 'X-Mock-Fault': fault } })
          .catch((e: unknown) => e)
        expect(err).toBeInstanceOf(LaafficHttpError)
        expect((err as LaafficHttpError).httpStatus).toBe(Number(fault.slice(5)))
        expect(seen).toHaveLength(3)
        if (fault === 'http-429') expect(delays).toEqual([1000, 1000]) // the mock's Retry-After: 1
      },
    )

    it.each(['http-500', 'http-503', 'http-429', 'reset'])(
      '%s once (admin scenario) → retried, then success',
      async (fault) => {
        await scenario({ fault, times: 1 })
        const { client, seen } = mockClient()
        await expect(client.queryTasks(Q)).resolves.toMatchObject({ total: TASKS })
        expect(seen).toHaveLength(2)
      },
    )

    it('-18 once → retried, then success', async () => {
      await scenario({ status: -18, times: 1 })
      const { client, seen } = mockClient()
      await expect(client.queryTasks(Q)).resolves.toMatchObject({ total: TASKS })
      expect(seen).toHaveLength(2)
    })

    it('reset on every attempt → LaafficConnectionError after retries', async () => {
      const { client, seen } = mockClient()
      await expect(client.queryTasks(Q, { headers: { 'X-Mock-Fault': 'reset' } })).rejects.toBeInstanceOf(
        LaafficConnectionError,
      )
      expect(seen).toHaveLength(3)
    })

    it('malformed → LaafficHttpError, not retried', async () => {
      const { client, seen } = mockClient()
      const err = await client
        .queryTasks(Q, { headers: { 'X-Mock-Fault': 'malformed' } })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(LaafficHttpError)
      expect((err as LaafficHttpError).httpStatus).toBe(200)
      expect(seen).toHaveLength(1)
    })

    it('delay beyond timeoutMs → LaafficTimeoutError after retries; within it → success', async () => {
      const { client, seen } = mockClient({ timeoutMs: 40 })
      await expect(client.queryTasks(Q, { headers: { 'X-Mock-Fault': 'delay=300' } })).rejects.toBeInstanceOf(
        LaafficTimeoutError,
      )
      expect(seen).toHaveLength(3)
      await expect(
        client.queryTasks(Q, { headers: { 'X-Mock-Fault': 'delay=10' }, timeoutMs: 2_000 }),
      ).resolves.toBeDefined()
    })
  })
})

describe('against the mock over real HTTP (serveMock)', () => {
  let mock: Awaited<ReturnType<typeof serveMock>>
  beforeAll(async () => {
    mock = await serveMock({ apiKey: KEY, apiSecret: SECRET, tasks: 120, port: 0, logLevel: 'silent' })
  })
  afterAll(async () => {
    await mock.close()
  })

  it('works with the global fetch', async () => {
    const c = createLaafficClient({ apiKey: KEY, apiSecret: SECRET, baseUrl: mock.url })
    expect(await c.iterateTasks({ size: 50, params: {} }).toArray()).toHaveLength(120)
  })

  it('client.raw, and queryTasks routed through a raw middleware, work with the global fetch', async () => {
    const c = createLaafficClient({ apiKey: KEY, apiSecret: SECRET, baseUrl: mock.url })
    const { data, response } = await c.raw.POST('/v3/cc/preview/query', {
      body: { current: 1, size: 5, params: {} },
    })
    expect(response.status).toBe(200)
    expect(data).toMatchObject({ status: 0, data: { total: 120 } })
    let seen = 0
    c.raw.use({
      onRequest() {
        seen++
      },
    })
    await expect(c.queryTasks({ current: 2, size: 5, params: {} })).resolves.toMatchObject({ current: 2 })
    expect(seen).toBe(1)
  })

  it('nothing listening → LaafficConnectionError naming the code and host, with code on it and its cause', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    const { sleep, delays } = recordingSleep()
    const c = createLaafficClient({
      apiKey: KEY,
      apiSecret: SECRET,
      baseUrl: `http://127.0.0.1:${port}`,
      sleep,
    })
    const err = (await c
      .queryTasks({ current: 1, size: 1, params: {} })
      .catch((e: unknown) => e)) as LaafficConnectionError
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect(err.message).toBe(`Connection error: ECONNREFUSED (127.0.0.1:${port})`)
    expect(err.code).toBe('ECONNREFUSED')
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: 'LaafficConnectionError',
      message: err.message,
      code: 'ECONNREFUSED',
    })
    // The README's promise: the cause chain keeps each level's code (undici: cause.cause.code).
    const codes: unknown[] = []
    for (let c: unknown = err.cause; c; c = (c as Error).cause) codes.push((c as { code?: unknown }).code)
    expect(codes).toContain('ECONNREFUSED')
    expect(delays).toHaveLength(2) // still retried: the server may come up
  })

  it('a reset socket → LaafficConnectionError', async () => {
    const c = createLaafficClient({ apiKey: KEY, apiSecret: SECRET, baseUrl: mock.url, maxRetries: 0 })
    await expect(
      c.queryTasks({ current: 1, size: 1, params: {} }, { headers: { 'X-Mock-Fault': 'reset' } }),
    ).rejects.toBeInstanceOf(LaafficConnectionError)
  })

  it('corrects an hour of clock skew from the Date header and succeeds', async () => {
    const c = createLaafficClient({
      apiKey: KEY,
      apiSecret: SECRET,
      baseUrl: mock.url,
      now: () => Date.now() - 3_600_000,
      maxRetries: 0,
    })
    await expect(c.queryTasks({ current: 1, size: 1, params: {} })).resolves.toMatchObject({ total: 120 })
    expect(Math.abs(c.clockOffsetMs - 3_600_000)).toBeLessThan(2_000)
  })
})
