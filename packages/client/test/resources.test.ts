import {
  DELETE_SEAT_GROUP,
  OPERATIONS,
  operationStatus,
  SIGNING_TEST_VECTOR,
  UPDATE_SEAT,
} from '@laaffic-kit/protocol'
import { describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  createLaafficClient,
  createLaafficCore,
  DataExistsError,
  DataLimitError,
  IpRestrictedError,
  type LaafficApiError,
  LaafficApiError as LaafficApiErrorClass,
  type LaafficClient,
  LaafficHttpError,
  PageIterator,
  ParameterError,
  Seats,
  SystemError,
  TimestampExpiredError,
} from '../src/index.js'
import { fail, json, okData, page, seatGroupRecord, seatRecord, stubFetch } from './helpers.js'

const NOW = SIGNING_TEST_VECTOR.timestamp * 1000
const SIGN = SIGNING_TEST_VECTOR.sign
const SEAT_PARAMS = { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 12:12:12' }

function vendorClient(fetch: ReturnType<typeof stubFetch>['fetch'], extra: object = {}) {
  return createLaafficClient({
    apiKey: SIGNING_TEST_VECTOR.apiKey,
    apiSecret: SIGNING_TEST_VECTOR.apiSecret,
    now: () => NOW,
    fetch,
    sleep: async () => {},
    ...extra,
  })
}

const groupPage = {
  total: 1,
  size: 10,
  current: 1,
  pages: 1,
  records: [seatGroupRecord(1000037)],
}
const seatPage = { total: 1, size: 15, current: 1, pages: 1, records: [seatRecord(12)] }

// [name, call, method, path, body sent (POST) or query string (GET), data answered]
const CASES: Array<
  [string, (c: LaafficClient) => Promise<unknown>, 'GET' | 'POST', string, unknown, unknown]
> = [
  [
    'seatGroups.query',
    (c) => c.seatGroups.query({ current: 1, size: 10, params: { groupName: '4luaKsL2' } }),
    'POST',
    '/v3/cc/seatGroup/query',
    { current: 1, size: 10, params: { groupName: '4luaKsL2' } },
    groupPage,
  ],
  [
    'seatGroups.add',
    (c) => c.seatGroups.add({ groupName: 'sipGroup', appId: '4luaKsL2' }),
    'POST',
    '/v3/cc/seatGroup/addGroup',
    { groupName: 'sipGroup', appId: '4luaKsL2' },
    null,
  ],
  [
    'seatGroups.update',
    (c) => c.seatGroups.update({ groupName: 'sipGroup', voiceGroupId: 123 }),
    'POST',
    '/v3/cc/seatGroup/updateGroup',
    { groupName: 'sipGroup', voiceGroupId: 123 },
    null,
  ],
  [
    'seatGroups.delete',
    (c) => c.seatGroups.delete({ voiceGroupId: 1123 }),
    'GET',
    '/v3/cc/seatGroup/deleteGroup',
    '?voiceGroupId=1123',
    null,
  ],
  [
    'seats.query',
    (c) => c.seats.query({ current: 1, size: 15, params: { enable: 0, voiceGroupId: 12, ...SEAT_PARAMS } }),
    'POST',
    '/v3/cc/seat/query',
    { current: 1, size: 15, params: { enable: 0, voiceGroupId: 12, ...SEAT_PARAMS } },
    seatPage,
  ],
  [
    'seats.addList',
    (c) => c.seats.addList({ voiceGroupId: 12, size: 2, displayNum: '1234', ccode: '91' }),
    'POST',
    '/v3/cc/seat/addSeatList',
    { voiceGroupId: 12, size: 2, displayNum: '1234', ccode: '91' },
    [
      { keyId: 1, name: '123' },
      { keyId: 2, name: '124' },
    ],
  ],
  [
    'seats.update',
    (c) => c.seats.update({ keyId: 12, name: '123', voiceGroupId: '12', empNo: '123', ccode: '91' }),
    'POST',
    '/v3/cc/seat/updateSeat',
    { keyId: 12, name: '123', voiceGroupId: '12', empNo: '123', ccode: '91' },
    null,
  ],
  [
    'seats.batch',
    (c) => c.seats.batch({ type: 2, idList: [12] }),
    'POST',
    '/v3/cc/seat/batchingSeat',
    { type: 2, idList: [12] },
    null,
  ],
  [
    'previewTasks.query',
    (c) => c.previewTasks.query({ current: 1, size: 15, params: {} }),
    'POST',
    '/v3/cc/preview/query',
    { current: 1, size: 15, params: {} },
    page([]),
  ],
]

describe('every operation on the wire', () => {
  for (const [name, call, method, path, sent, data] of CASES) {
    it(`${name}: ${method} ${path}, signed, resolves with data`, async () => {
      const { fetch, requests } = stubFetch(okData(data))
      await expect(call(vendorClient(fetch))).resolves.toEqual(data)
      expect(requests).toHaveLength(1)
      const req = requests[0]!
      expect(req.method).toBe(method)
      expect(req.headers.get('Api-Key')).toBe(SIGNING_TEST_VECTOR.apiKey)
      expect(req.headers.get('Timestamp')).toBe(String(SIGNING_TEST_VECTOR.timestamp))
      expect(req.headers.get('Sign')).toBe(SIGN)
      // The vendor's samples send it on GETs too.
      expect(req.headers.get('Content-Type')).toBe('application/json;charset=UTF-8')
      if (method === 'GET') {
        expect(req.url).toBe(`https://api.laaffic.com${path}${sent}`)
        expect(req.body).toBeNull()
      } else {
        expect(req.url).toBe(`https://api.laaffic.com${path}`)
        expect(await req.json()).toEqual(sent)
      }
    })
  }

  it('the same requests through a raw middleware (openapi-fetch): same URL, method, headers and body', async () => {
    for (const [, call, method, path, sent, data] of CASES) {
      const { fetch, requests } = stubFetch(okData(data))
      const c = vendorClient(fetch)
      const seen: string[] = []
      c.raw.use({
        onRequest({ request }) {
          seen.push(`${request.method} ${new URL(request.url).pathname}`)
        },
      })
      await expect(call(c)).resolves.toEqual(data)
      expect(seen).toEqual([`${method} ${path}`])
      const req = requests[0]!
      expect(req.headers.get('Sign')).toBe(SIGN)
      expect(req.headers.get('Content-Type')).toBe('application/json;charset=UTF-8')
      if (method === 'GET') expect(req.url).toBe(`https://api.laaffic.com${path}${sent}`)
      else expect(await req.json()).toEqual(sent)
    }
  })

  it('a GET without a fetch option: the global fetch gets the URL with its query, no body, the signing headers', async () => {
    const calls: Array<[unknown, RequestInit | undefined]> = []
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => {
      calls.push([input, init])
      return okData(null)
    })
    try {
      const c = createLaafficClient({
        apiKey: SIGNING_TEST_VECTOR.apiKey,
        apiSecret: SIGNING_TEST_VECTOR.apiSecret,
        now: () => NOW,
      })
      await expect(c.seatGroups.delete({ voiceGroupId: 1123 })).resolves.toBeNull()
      const [url, init] = calls[0]!
      expect(url).toBe('https://api.laaffic.com/v3/cc/seatGroup/deleteGroup?voiceGroupId=1123')
      expect(init?.method).toBe('GET')
      expect(init?.body ?? null).toBeNull()
      const headers = new Headers(init?.headers)
      expect(headers.get('Sign')).toBe(SIGN)
      expect(headers.get('Content-Type')).toBe('application/json;charset=UTF-8')
      // raw.GET with the global fetch too (no body to replace).
      const { data, response } = await c.raw.GET('/v3/cc/seatGroup/deleteGroup', {
        params: { query: { voiceGroupId: 7 } },
      })
      expect(response.status).toBe(200)
      expect(data).toMatchObject({ status: '0' })
      const req = new Request(calls[1]![0] as Request, calls[1]![1])
      expect(req.url).toBe('https://api.laaffic.com/v3/cc/seatGroup/deleteGroup?voiceGroupId=7')
      expect(req.headers.get('Sign')).toBe(SIGN)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('leaves undefined and null query parameters out of a GET', async () => {
    const { fetch, requests } = stubFetch(okData(null))
    await vendorClient(fetch).seatGroups.delete({ voiceGroupId: 5, extra: undefined, other: null } as never)
    expect(requests[0]!.url).toBe('https://api.laaffic.com/v3/cc/seatGroup/deleteGroup?voiceGroupId=5')
  })

  it('writes that document `data: null` resolve with null whether data is null or absent', async () => {
    const { fetch } = stubFetch(json({ status: '0', reason: 'success' }))
    await expect(vendorClient(fetch).seatGroups.add({ groupName: 'abcd', appId: 'x' })).resolves.toBeNull()
  })

  it.each([
    [
      'seats.query without a page',
      (c: LaafficClient) => c.seats.query({ current: 1, size: 1, params: SEAT_PARAMS }),
      okData([]),
      'without a page',
    ],
    [
      'seatGroups.query with records not a list',
      (c: LaafficClient) => c.seatGroups.query({ current: 1, size: 1, params: {} }),
      okData({ pages: 1, records: 'x' }),
      'without a page',
    ],
    [
      'seats.addList without a list',
      (c: LaafficClient) => c.seats.addList({ voiceGroupId: 1, size: 1 }),
      okData(null),
      'without a list',
    ],
  ])('%s: LaafficHttpError, not retried', async (_what, call, answer, detail) => {
    const { fetch } = stubFetch(answer)
    const err = await call(vendorClient(fetch)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficHttpError)
    expect((err as Error).message).toContain(detail)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it.each([
    [
      'seatGroups.delete',
      (c: LaafficClient) => c.seatGroups.delete(null as never),
      /^laaffic: query parameters must be an object$/,
    ],
    [
      'seats.addList',
      (c: LaafficClient) => c.seats.addList('x' as never),
      /^laaffic: body must be an object$/,
    ],
    [
      'seats.query',
      (c: LaafficClient) => c.seats.query(undefined as never),
      /^laaffic: body must be an object with current, size and params$/,
    ],
  ])('%s rejects a non-object input before any request', async (_what, call, message) => {
    const { fetch } = stubFetch(okData(null))
    await expect(call(vendorClient(fetch))).rejects.toThrow(message)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('the iterate methods throw synchronously on a non-object query', () => {
    const c = vendorClient(stubFetch(okData(null)).fetch)
    expect(() => c.seats.iterate(null as never)).toThrow(TypeError)
    expect(() => c.seatGroups.iterate('x' as never)).toThrow(TypeError)
  })
})

describe('iterate', () => {
  /** A fake paging server over `n` records built by `make`. */
  function server<R>(n: number, make: (i: number) => R) {
    const all = Array.from({ length: n }, (_, i) => make(i + 1))
    return stubFetch(async (req) => {
      const { current, size } = (await req.json()) as { current: number; size: number }
      return okData({
        total: n,
        size,
        current,
        pages: Math.ceil(n / size),
        records: all.slice((current - 1) * size, current * size),
      })
    })
  }

  it('seatGroups.iterate walks every page with the params on each request', async () => {
    const { fetch, requests } = server(5, (i) => seatGroupRecord(i))
    const iter = vendorClient(fetch).seatGroups.iterate({ size: 2, params: { groupName: 'g' } })
    expect(iter).toBeInstanceOf(PageIterator)
    expect((await iter.toArray()).map((g) => g.voiceGroupId)).toEqual([1, 2, 3, 4, 5])
    const bodies = await Promise.all(requests.map((r) => r.json()))
    expect(bodies).toEqual([1, 2, 3].map((current) => ({ current, size: 2, params: { groupName: 'g' } })))
  })

  it('seats.iterate keeps the required statistics window on every page; pages() and current work', async () => {
    const { fetch, requests } = server(7, (i) => seatRecord(i))
    const c = vendorClient(fetch)
    const seen: number[] = []
    for await (const p of c.seats.iterate({ size: 3, current: 2, params: SEAT_PARAMS }).pages())
      seen.push(p.current)
    expect(seen).toEqual([2, 3])
    const bodies = (await Promise.all(requests.map((r) => r.json()))) as Array<{ params: unknown }>
    for (const body of bodies) expect(body.params).toEqual(SEAT_PARAMS)
    const keys: number[] = []
    for await (const seat of c.seats.iterate({ params: SEAT_PARAMS })) keys.push(seat.keyId)
    expect(keys).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})

describe('per-operation status tables', () => {
  const call = async (answer: Response, run: (c: LaafficClient) => Promise<unknown>) =>
    (await run(vendorClient(stubFetch(answer).fetch, { correctClockSkew: false, maxRetries: 0 })).catch(
      (e: unknown) => e,
    )) as LaafficApiError

  it('-64 is a different thing on deleteSeatGroup and on updateSeat: base class, operation and its meaning', async () => {
    const onDelete = await call(fail('-64', 'cannot'), (c) => c.seatGroups.delete({ voiceGroupId: 1 }))
    const onUpdate = await call(fail(-64, 'bad password'), (c) =>
      c.seats.update({ keyId: 1, name: 'n', voiceGroupId: 1, empNo: 'e', password: 'a-b' }),
    )
    for (const [err, op] of [
      [onDelete, DELETE_SEAT_GROUP],
      [onUpdate, UPDATE_SEAT],
    ] as const) {
      expect(err.constructor).toBe(LaafficApiErrorClass)
      expect(err.code).toBe(-64)
      expect(err.operation).toBe(op.id)
      expect(err.meaning).toBe(operationStatus(op, -64)!.meaning)
      expect(err.retryable).toBe(false)
    }
    expect(onDelete.meaning).toMatch(/seats/)
    expect(onUpdate.meaning).toMatch(/letters and digits/)
    expect(onDelete.meaning).not.toBe(onUpdate.meaning)
    expect(onDelete.reason).toBe('cannot') // the server's text is kept as sent
  })

  it('a code the operation does not document: base class, operation set, meaning undefined', async () => {
    const err = await call(fail(-99, 'odd'), (c) => c.seatGroups.delete({ voiceGroupId: 1 }))
    expect(err.constructor).toBe(LaafficApiErrorClass)
    expect(err.operation).toBe('deleteSeatGroup')
    expect(err.meaning).toBeUndefined()
    expect(err.code).toBe(-99)
    const seatErr = await call(fail(-64, 'x'), (c) => c.seats.batch({ type: 3, idList: [1] }))
    expect(seatErr.operation).toBe('batchSeats')
    expect(seatErr.meaning).toBeUndefined()
  })

  it('common codes keep their classes on every operation, with the meaning when the operation lists them', async () => {
    const classes = [
      [-1, AuthenticationError],
      [-2, IpRestrictedError],
      [-16, TimestampExpiredError],
      [-18, SystemError],
      [-20, DataExistsError],
      [-22, ParameterError],
      [-23, DataLimitError],
    ] as const
    for (const [code, Ctor] of classes) {
      for (const [name, run] of CASES) {
        const err = await call(fail(String(code), 'r'), run)
        expect(err, `${name} ${code}`).toBeInstanceOf(Ctor)
        expect(err.operation).toBeDefined()
      }
    }
    // -20 is not on deleteGroup's table: still DataExistsError, but no meaning for it there.
    const notListed = await call(fail(-20, 'exists'), (c) => c.seatGroups.delete({ voiceGroupId: 1 }))
    expect(notListed).toBeInstanceOf(DataExistsError)
    expect(notListed.meaning).toBeUndefined()
    const listed = await call(fail(-36, 'quota'), (c) => c.seats.addList({ voiceGroupId: 1, size: 500 }))
    expect(listed.constructor).toBe(LaafficApiErrorClass)
    expect(listed.meaning).toMatch(/more than/)
  })

  it('LaafficApiError.from follows every row of every operation table', () => {
    const byKey: Record<string, unknown> = {
      AUTHENTICATION: AuthenticationError,
      IP_RESTRICTED: IpRestrictedError,
      TIMESTAMP_EXPIRED: TimestampExpiredError,
      SYSTEM: SystemError,
      DATA_EXISTS: DataExistsError,
      PARAMETER: ParameterError,
      DATA_LIMIT: DataLimitError,
    }
    for (const op of OPERATIONS) {
      for (const row of op.statuses.filter((s) => s.code !== 0)) {
        const err = LaafficApiErrorClass.from({ code: row.code, reason: '', httpStatus: 200 }, op)
        expect(err.constructor, `${op.id} ${row.code}`).toBe(row.key ? byKey[row.key] : LaafficApiErrorClass)
        expect(err.operation).toBe(op.id)
        expect(err.meaning).toBe(row.meaning)
      }
    }
    // Without an operation, as before: no operation, no meaning.
    const bare = LaafficApiErrorClass.from({ code: -64, reason: '', httpStatus: 200 })
    expect(bare.operation).toBeUndefined()
    expect(bare.meaning).toBeUndefined()
  })
})

describe('createLaafficCore with one resource', () => {
  it('works without the full client, with the same checks', async () => {
    const { fetch, requests } = stubFetch(okData(seatPage))
    const core = createLaafficCore({
      apiKey: SIGNING_TEST_VECTOR.apiKey,
      apiSecret: SIGNING_TEST_VECTOR.apiSecret,
      now: () => NOW,
      fetch,
    })
    const seats = new Seats(core)
    await expect(seats.query({ current: 1, size: 15, params: SEAT_PARAMS })).resolves.toEqual(seatPage)
    expect(requests[0]!.headers.get('Sign')).toBe(SIGN)
    expect(core.clockOffsetMs).toBe(0)
    expect(() => createLaafficCore({ apiKey: 'k', apiSecret: 's', baseURL: 'x' } as never)).toThrow(
      /did you mean baseUrl\?/,
    )
  })

  it('the full client exposes the same core its resources use', async () => {
    const { fetch } = stubFetch(okData(null))
    const c = vendorClient(fetch)
    await expect(new Seats(c.core).batch({ type: 4, idList: [1] })).resolves.toBeNull()
  })
})
