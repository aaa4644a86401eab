import { computeSign, STATUS, STATUS_CODES } from '@laaffic-kit/protocol'
import { loadSpec } from '@laaffic-kit/spec'
import { describe, expect, it } from 'vitest'
import { createMockApp, serializeEnvelope } from '../src/app.js'
import { generateDataset, VENDOR_EXAMPLE_TASK } from '../src/dataset.js'
import { silentLogger } from '../src/log.js'
import { scanFilter } from '../src/task-index.js'
import { parseWallClock } from '../src/time.js'
import { KEY, NOW, page, query, SECRET, signed } from './helpers.js'

const store = generateDataset({ tasks: 2000, seed: 99 })
const app = createMockApp({ store, now: NOW, logger: silentLogger })
const SEED_BODY = { current: 1, size: 15, params: { startTime: '2025-01-10', endTime: '2025-02-10' } }

describe('the vendor example', () => {
  it('answers the exact example request with status 0 and task 5000525', async () => {
    const def = createMockApp({ now: NOW, logger: silentLogger, apiKey: KEY, apiSecret: SECRET })
    const headers = {
      'Content-Type': 'application/json;charset=UTF-8',
      'Api-Key': 'bDqJFiq9',
      Timestamp: '1630468800',
      Sign: '05d7a50893e22a5c4bb3216ae3396c7c',
    }
    const body = await query(def, SEED_BODY, headers)
    expect(body.status).toBe(0)
    expect(body.reason).toBe('success')
    const data = page(body)
    expect(data.searchCount).toBe(true)
    expect(data.pages).toBe(Math.ceil(data.total / 15))
    let found = data.records.find((r) => r.taskId === 5000525)
    for (let current = 2; !found && current <= data.pages; current++) {
      found = page(await query(def, { ...SEED_BODY, current }, headers)).records.find(
        (r) => r.taskId === 5000525,
      )
    }
    const example =
      loadSpec().paths['/v3/cc/preview/query'].post.responses['200'].content['application/json'].examples
        .seedResponse.value.data.records[0]
    expect(found).toEqual(example)
    expect(VENDOR_EXAMPLE_TASK).toEqual(example)
  })

  it('accepts the Sign in upper case (hex is hex) and rejects it with sign-case lower', async () => {
    const upper = signed(NOW, { Sign: computeSign(KEY, SECRET, NOW).toUpperCase() })
    expect((await query(app, SEED_BODY, upper)).status).toBe(0)
    const strict = createMockApp({ store, now: NOW, logger: silentLogger, signCase: 'lower' })
    expect((await query(strict, SEED_BODY, upper)).status).toBe(-1)
  })

  it('prints status as a string with statusType string', async () => {
    const s = createMockApp({ store, now: NOW, logger: silentLogger, statusType: 'string' })
    expect((await query(s, SEED_BODY)).status).toBe('0')
    expect((await query(s, SEED_BODY, signed(NOW + 1000))).status).toBe('-16')
  })
})

describe('checks in order: IP, Api-Key/Sign, Timestamp, body', () => {
  const local = { incoming: { socket: { remoteAddress: '10.1.2.3' } } }
  const cases: [string, Record<string, string>, unknown, number, object?][] = [
    ['no headers', { 'Content-Type': 'application/json' }, SEED_BODY, -1],
    ['unknown key', signed(NOW, { 'Api-Key': 'nope' }), SEED_BODY, -1],
    ['wrong Sign', signed(NOW, { Sign: '0'.repeat(32) }), SEED_BODY, -1],
    ['Sign not hex', signed(NOW, { Sign: 'zz' }), SEED_BODY, -1],
    ['empty Sign', signed(NOW, { Sign: '' }), SEED_BODY, -1],
    ['missing Timestamp', (({ Timestamp: _t, ...h }) => h)(signed()), SEED_BODY, -1],
    ['non-numeric Timestamp', signed(NOW, { Timestamp: 'soon' }), SEED_BODY, -1],
    ['Timestamp in ms', signed(NOW * 1000), SEED_BODY, -16],
    ['Timestamp 301 s old', signed(NOW - 301), SEED_BODY, -16],
    ['Timestamp 300 s old is fine', signed(NOW - 300), SEED_BODY, 0],
    ['Timestamp 300 s ahead is fine', signed(NOW + 300), SEED_BODY, 0],
    ['bad auth beats bad body', signed(NOW, { Sign: '0'.repeat(32) }), '{', -1],
    ['expired beats bad body', signed(NOW - 1000), '{', -16],
    ['IP not allowed beats everything', { 'Content-Type': 'application/json' }, '{', -2, local],
  ]
  const restricted = createMockApp({
    store,
    now: NOW,
    logger: silentLogger,
    allowIp: ['127.0.0.1', '192.168.0.0/16'],
  })
  it.each(cases)('%s', async (_name, headers, body, status, env) => {
    const target = env ? restricted : app
    const res = await query(target, body, headers, env)
    expect(res.status).toBe(status)
    expect(res.reason).toContain(STATUS_CODES.find((s) => s.code === status)?.reason ?? '?')
    if (status === -16) expect(res.reason).toBe('timestamp expires')
  })

  it('lets allowed addresses and CIDR ranges through, including IPv4-mapped IPv6', async () => {
    for (const addr of ['192.168.4.5', '::ffff:192.168.0.1', '127.0.0.1']) {
      expect(
        (await query(restricted, SEED_BODY, signed(), { incoming: { socket: { remoteAddress: addr } } }))
          .status,
      ).toBe(0)
    }
    expect(
      (await query(restricted, SEED_BODY, signed(), { incoming: { socket: { remoteAddress: '::1' } } }))
        .status,
    ).toBe(-2)
  })

  it('never echoes the Sign or the secret in a reason', async () => {
    const sign = computeSign(KEY, 'other-secret', NOW)
    const res = await query(app, SEED_BODY, signed(NOW, { Sign: sign }))
    expect(JSON.stringify(res)).not.toContain(sign)
    expect(JSON.stringify(res)).not.toContain(SECRET)
  })
})

describe('body validation → -22 naming the field and the rule', () => {
  const p = (params: unknown) => ({ current: 1, size: 15, params })
  const cases: [unknown, string][] = [
    ['{', 'not valid JSON'],
    ['', 'request body is required'],
    ['   ', 'request body is required'],
    ['[]', 'must be a JSON object, got an array'],
    ['null', 'must be a JSON object, got null'],
    ['"text"', 'must be a JSON object, got a string'],
    [{ size: 15, params: {} }, 'current is required'],
    [{ current: '1', size: 15, params: {} }, 'current must be an integer, got a string'],
    [{ current: 1.5, size: 15, params: {} }, 'current must be an integer'],
    [{ current: 0, size: 15, params: {} }, 'current must be between 1 and 2147483647'],
    [{ current: 2147483648, size: 15, params: {} }, 'current must be between 1 and 2147483647'],
    [{ current: 1, params: {} }, 'size is required'],
    [{ current: 1, size: 0, params: {} }, 'size must be between 1 and 100'],
    [{ current: 1, size: 101, params: {} }, 'size must be between 1 and 100'],
    [{ current: 1, size: null, params: {} }, 'size must be an integer, got null'],
    [{ current: 1, size: 15 }, 'params is required'],
    [{ current: 1, size: 15, params: [] }, 'params must be an object, got an array'],
    [{ current: 1, size: 15, params: {}, extra: 1 }, 'unknown field "extra"'],
    [p({ foo: 1 }), 'unknown field "params.foo"'],
    [p({ startTime: 20250110 }), 'params.startTime must be a string, got 20250110'],
    [p({ startTime: '2025/01/10' }), 'params.startTime must be a date yyyy-MM-dd or yyyy-MM-dd HH:mm:ss'],
    [p({ endTime: '2025-02-30' }), 'params.endTime must be a date'],
    [p({ endTime: '2025-02-10 24:00:00' }), 'params.endTime must be a date'],
    [p({ endTime: '2025-02-10T10:00:00' }), 'params.endTime must be a date'],
    [
      p({ startTime: '2025-02-11', endTime: '2025-02-10' }),
      'params.startTime must not be after params.endTime',
    ],
    [p({ taskId: 5000525 }), 'params.taskId must be a string, got 5000525'],
    [p({ taskId: '50a' }), 'params.taskId must be a string of 1 to 19 digits'],
    [p({ taskId: '' }), 'params.taskId must be a string of 1 to 19 digits'],
    [p({ taskStatus: 12 }), 'params.taskStatus must be an array'],
    [p({ taskStatus: [12, 3] }), 'params.taskStatus[1] must be one of 1, 2, 11, 12, 13, 14, 15, 16'],
    [p({ taskStatus: ['12'] }), 'params.taskStatus[0] must be one of'],
    [p({ taskStatus: [1, 2, 11, 12, 13, 14, 15, 16, 1] }), 'params.taskStatus must have at most 8 items'],
    [p({ taskType: 2 }), 'params.taskType must be 0 or 1'],
    [p({ finishFlag: '1' }), 'params.finishFlag must be 0 or 1'],
    [p({ voiceGroupIds: 1000006 }), 'params.voiceGroupIds must be an array'],
    [p({ voiceGroupIds: [0] }), 'params.voiceGroupIds[0] must be a positive integer'],
    [p({ voiceGroupIds: Array.from({ length: 101 }, (_, i) => i + 1) }), 'at most 100 items'],
    [p({ startTime: '２０２５-01-10' }), 'params.startTime must be a date'],
  ]
  it.each(cases)('%j → %s', async (body, detail) => {
    const res = await query(app, body)
    expect(res.status).toBe(STATUS.PARAMETER)
    expect(res.reason).toContain('Parameter exception: ')
    expect(res.reason).toContain(detail)
  })

  it('gives the spec example reason for size', async () => {
    const res = await query(app, { current: 1, size: 101, params: {} })
    expect(res.reason).toBe('Parameter exception: size must be between 1 and 100')
  })

  it.each([
    ['text/plain', 'Content-Type must be application/json'],
    ['application/x-www-form-urlencoded', 'Content-Type must be application/json'],
  ])('content type %s → -22', async (type, detail) => {
    const res = await query(app, SEED_BODY, signed(NOW, { 'Content-Type': type }))
    expect(res.status).toBe(-22)
    expect(res.reason).toContain(detail)
  })

  it('refuses bodies over 64 KiB with -22', async () => {
    const big = JSON.stringify({ ...SEED_BODY, pad: 'x'.repeat(70_000) })
    const res = await query(app, big)
    expect(res.status).toBe(-22)
    expect(res.reason).toContain('at most 65536 bytes')
  })

  it('ignores unknown fields with unknownFields ignore', async () => {
    const lax = createMockApp({ store, now: NOW, logger: silentLogger, unknownFields: 'ignore' })
    expect((await query(lax, { ...SEED_BODY, extra: 1, params: { foo: 2 } })).status).toBe(0)
  })

  it('treats empty taskStatus / voiceGroupIds as no filter', async () => {
    const all = page(await query(app, { current: 1, size: 1, params: {} })).total
    expect(
      page(await query(app, { current: 1, size: 1, params: { taskStatus: [], voiceGroupIds: [] } })).total,
    ).toBe(all)
  })
})

describe('filters (checked against a brute-force scan of the dataset)', () => {
  const at = (s: string) => parseWallClock(s, 480)?.epochSeconds as number
  const cases: [string, Record<string, unknown>, Parameters<typeof scanFilter>[1]][] = [
    ['no filter', {}, {}],
    [
      'date-only range covers whole days',
      { startTime: '2025-01-10', endTime: '2025-02-10' },
      { lower: at('2025-01-10'), upper: at('2025-02-10') + 86399 },
    ],
    [
      'date-time bounds to the second',
      { startTime: '2025-01-10 13:59:18', endTime: '2025-01-20 08:00:00' },
      { lower: at('2025-01-10 13:59:18'), upper: at('2025-01-20 08:00:00') },
    ],
    ['start only', { startTime: '2025-05-01' }, { lower: at('2025-05-01') }],
    ['end only', { endTime: '2024-08-01' }, { upper: at('2024-08-01') + 86399 }],
    [
      'same day',
      { startTime: '2025-01-15', endTime: '2025-01-15' },
      { lower: at('2025-01-15'), upper: at('2025-01-15') + 86399 },
    ],
    ['taskId', { taskId: '5000525' }, { taskId: 5000525 }],
    ['unknown taskId', { taskId: '1' }, { taskId: 1 }],
    ['taskStatus any of', { taskStatus: [11, 15] }, { taskStatus: [11, 15] }],
    ['taskType', { taskType: 0 }, { taskType: 0 }],
    ['finishFlag', { finishFlag: 1 }, { finishFlag: 1 }],
    ['voiceGroupIds any of', { voiceGroupIds: [1000003, 1000007] }, { voiceGroupIds: [1000003, 1000007] }],
    ['unknown group', { voiceGroupIds: [42] }, { voiceGroupIds: [42] }],
    [
      'all seven',
      {
        startTime: '2024-10-01',
        endTime: '2025-03-01 00:00:00',
        taskStatus: [12, 14, 1],
        taskType: 1,
        finishFlag: 1,
        voiceGroupIds: [1000002, 1000009],
      },
      {
        lower: at('2024-10-01'),
        upper: at('2025-03-01 00:00:00'),
        taskStatus: [12, 14, 1],
        taskType: 1,
        finishFlag: 1,
        voiceGroupIds: [1000002, 1000009],
      },
    ],
    [
      'taskId with a matching status',
      { taskId: '5000525', taskStatus: [15] },
      { taskId: 5000525, taskStatus: [15] },
    ],
    [
      'taskId with a non-matching status',
      { taskId: '5000525', taskStatus: [12] },
      { taskId: 5000525, taskStatus: [12] },
    ],
  ]
  it.each(cases)('%s', async (_name, params, filter) => {
    const expected = scanFilter(store, filter).map((p) => store.taskId[p])
    const got: number[] = []
    const first = page(await query(app, { current: 1, size: 100, params }))
    expect(first.total).toBe(expected.length)
    got.push(...first.records.map((r) => r.taskId))
    for (let current = 2; current <= first.pages; current++) {
      got.push(...page(await query(app, { current, size: 100, params })).records.map((r) => r.taskId))
    }
    expect(got).toEqual(expected)
  })

  it('returns newest createTime first, ties by taskId descending', async () => {
    const all = page(await query(app, { current: 1, size: 100, params: {} })).records
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1]!
      const b = all[i]!
      expect(a.createTime > b.createTime || (a.createTime === b.createTime && a.taskId > b.taskId)).toBe(true)
    }
  })

  it('order oldest reverses the answer', async () => {
    const old = createMockApp({ store, now: NOW, logger: silentLogger, order: 'oldest' })
    const params = { taskStatus: [11] }
    const newest = scanFilter(store, { taskStatus: [11] }).map((p) => store.taskId[p])
    const got = page(await query(old, { current: 1, size: 100, params })).records.map((r) => r.taskId)
    expect(got).toEqual(newest.reverse().slice(0, 100))
  })

  it('endDate day-start makes a date-only end mean 00:00:00', async () => {
    const ds = createMockApp({ store, now: NOW, logger: silentLogger, endDate: 'day-start' })
    const params = { startTime: '2025-01-10', endTime: '2025-02-10' }
    const expected = scanFilter(store, { lower: at('2025-01-10'), upper: at('2025-02-10') }).length
    expect(page(await query(ds, { current: 1, size: 1, params })).total).toBe(expected)
  })

  it('groupMatch all requires every listed group', async () => {
    const all = createMockApp({ store, now: NOW, logger: silentLogger, groupMatch: 'all' })
    const ids = [1000002, 1000003]
    const expected = scanFilter(store, { voiceGroupIds: ids, groupMatch: 'all' }).length
    expect(expected).toBeGreaterThan(0)
    expect(page(await query(all, { current: 1, size: 1, params: { voiceGroupIds: ids } })).total).toBe(
      expected,
    )
  })

  it('utcOffset moves createTime and the date filters together', async () => {
    const utc = createMockApp({ now: NOW, logger: silentLogger, utcOffset: 0 })
    const r = page(await query(utc, { current: 1, size: 1, params: { taskId: '5000525' } })).records[0]
    expect(r?.createTime).toBe('2025-01-10 05:59:18')
    const hit = page(
      await query(utc, {
        current: 1,
        size: 1,
        params: { taskId: '5000525', startTime: '2025-01-10 05:59:18', endTime: '2025-01-10 05:59:18' },
      }),
    )
    expect(hit.total).toBe(1)
  })
})

describe('paging (MyBatis-Plus)', () => {
  const small = createMockApp({ tasks: 30, seed: 1, now: NOW, logger: silentLogger })
  const cases: [
    string,
    number,
    number,
    Record<string, unknown>,
    { total: number; pages: number; records: number },
  ][] = [
    ['total 0', 1, 15, { taskId: '1' }, { total: 0, pages: 0, records: 0 }],
    ['total 0, page 3', 3, 15, { taskId: '1' }, { total: 0, pages: 0, records: 0 }],
    ['size 1', 1, 1, {}, { total: 30, pages: 30, records: 1 }],
    ['size 1 last page', 30, 1, {}, { total: 30, pages: 30, records: 1 }],
    ['size 100', 1, 100, {}, { total: 30, pages: 1, records: 30 }],
    ['exact multiple, last page', 2, 15, {}, { total: 30, pages: 2, records: 15 }],
    ['partial last page', 4, 8, {}, { total: 30, pages: 4, records: 6 }],
    ['past the end', 5, 8, {}, { total: 30, pages: 4, records: 0 }],
    ['far past the end', 2147483647, 100, {}, { total: 30, pages: 1, records: 0 }],
  ]
  it.each(cases)('%s', async (_name, current, size, params, want) => {
    const data = page(await query(small, { current, size, params }))
    expect({ total: data.total, pages: data.pages, records: data.records.length }).toEqual(want)
    expect(data.current).toBe(current)
    expect(data.size).toBe(size)
    expect(data.searchCount).toBe(true)
  })

  it('pages are stable and disjoint', async () => {
    const ids: number[] = []
    for (let current = 1; current <= 4; current++) {
      ids.push(...page(await query(small, { current, size: 8, params: {} })).records.map((r) => r.taskId))
    }
    expect(new Set(ids).size).toBe(30)
    expect(ids).toEqual(
      page(await query(small, { current: 1, size: 100, params: {} })).records.map((r) => r.taskId),
    )
  })

  it('overflow first answers page 1 past the end', async () => {
    const first = createMockApp({ tasks: 30, seed: 1, now: NOW, logger: silentLogger, overflow: 'first' })
    const data = page(await query(first, { current: 9, size: 8, params: {} }))
    expect(data.current).toBe(1)
    expect(data.records.length).toBe(8)
  })

  it('completedRate string prints numeric strings', async () => {
    const s = createMockApp({ tasks: 30, seed: 1, now: NOW, logger: silentLogger, completedRate: 'string' })
    const data = page(await query(s, { current: 1, size: 100, params: {} }))
    for (const r of data.records) expect(typeof r.completedRate).toBe('string')
  })
})

describe('fixtures', () => {
  it('serves given records and rejects bad ones naming index and field', () => {
    const good = { ...VENDOR_EXAMPLE_TASK }
    expect(() => createMockApp({ records: [good], logger: silentLogger })).not.toThrow()
    expect(() =>
      createMockApp({ records: [good, { ...good, taskId: 7, appId: 9 }], logger: silentLogger }),
    ).toThrow(/record 1 \(taskId 7\): \/appId must be string/)
    expect(() =>
      createMockApp({ records: [{ ...good, createTime: '2025-13-01 00:00:00' }], logger: silentLogger }),
    ).toThrow(/record 0 \(taskId 5000525\): \/createTime/)
    expect(() => createMockApp({ records: [good, good], logger: silentLogger })).toThrow(
      /record 1 .*duplicates record 0/,
    )
  })

  it('answers queries over fixture records', async () => {
    const fx = createMockApp({ records: [VENDOR_EXAMPLE_TASK], now: NOW, logger: silentLogger })
    const data = page(await query(fx, SEED_BODY))
    expect(data.records).toEqual([VENDOR_EXAMPLE_TASK])
  })
})

describe('serializeEnvelope', () => {
  it('is exactly JSON.stringify as UTF-8, records cached or not', () => {
    const page = {
      status: 0,
      reason: 'success',
      data: {
        total: 2,
        size: 2,
        current: 1,
        searchCount: true,
        pages: 1,
        records: [VENDOR_EXAMPLE_TASK, { ...VENDOR_EXAMPLE_TASK, taskId: 1 }],
      },
    }
    for (const body of [
      page,
      page,
      { status: '-1', reason: 'x' },
      { ...page, data: { ...page.data, records: [] } },
    ])
      expect(new TextDecoder().decode(serializeEnvelope(body as never))).toBe(JSON.stringify(body))
  })
})

describe('timing options', () => {
  it('timestampWindow sets how far Timestamp may be from the clock, both ways', async () => {
    const w = createMockApp({ store, now: NOW, logger: silentLogger, timestampWindow: 10 })
    expect((await query(w, SEED_BODY, signed(NOW - 10))).status).toBe(0)
    expect((await query(w, SEED_BODY, signed(NOW + 10))).status).toBe(0)
    expect((await query(w, SEED_BODY, signed(NOW - 11))).status).toBe(-16)
    expect((await query(w, SEED_BODY, signed(NOW + 11))).status).toBe(-16)
  })

  it('latency delays the vendor endpoint by at least its minimum', async () => {
    const slow = createMockApp({ store, now: NOW, logger: silentLogger, latency: '60-80' })
    const started = performance.now()
    expect((await query(slow, SEED_BODY)).status).toBe(0)
    // A lower bound only: a response cannot come sooner than the configured minimum.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })
})
