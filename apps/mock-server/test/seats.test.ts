import { describe, expect, it } from 'vitest'
import { createMockApp, mockState } from '../src/app.js'
import { call as callAt, LATER, signed, validator, WINDOW } from './helpers.js'

// The mock clock after the generated seats exist, so their statistics windows have calls in them.
const fresh = (extra = {}) => createMockApp({ now: LATER, logLevel: 'silent', ...extra })
const call = (app: ReturnType<typeof fresh>, path: string, body: unknown) =>
  callAt(app, path, body, signed(LATER))
const QUERY = '/v3/cc/seat/query'
const ADD = '/v3/cc/seat/addSeatList'
const UPDATE = '/v3/cc/seat/updateSeat'
const BATCH = '/v3/cc/seat/batchingSeat'

type Seat = {
  keyId: number
  empNo: string
  name: string
  enable: number
  status: number
  voiceGroupId: number
  appId: string
  password: string
  account: string
  num?: number
  connectNum?: number
  connectRate?: string
}
type SeatPage = { total: number; pages: number; current: number; records: Seat[] }

async function seats(
  app: ReturnType<typeof fresh>,
  params: Record<string, unknown> = {},
  current = 1,
  size = 100,
) {
  const res = await call(app, QUERY, { current, size, params: { ...WINDOW, ...params } })
  expect(res.status, res.reason).toBe(0)
  expect(validator.errors('SeatQueryResponse', res)).toEqual([])
  return res.data as SeatPage
}

async function newGroup(app: ReturnType<typeof fresh>, name = 'Workflow group', appId = '1000009') {
  expect((await call(app, '/v3/cc/seatGroup/addGroup', { appId, groupName: name })).status).toBe(0)
  const res = await call(app, '/v3/cc/seatGroup/query', { current: 1, size: 10, params: { groupName: name } })
  return ((res.data as { records: { voiceGroupId: number }[] }).records[0] as { voiceGroupId: number })
    .voiceGroupId
}

describe('seat/query', () => {
  it("every group's countSeat equals the seats seat/query lists for it", async () => {
    const app = fresh()
    const res = await call(app, '/v3/cc/seatGroup/query', { current: 1, size: 100, params: {} })
    for (const g of (res.data as { records: { voiceGroupId: number; countSeat: number }[] }).records) {
      expect((await seats(app, { voiceGroupId: g.voiceGroupId })).total).toBe(g.countSeat)
    }
  })

  it('filters by enable, status and name (fuzzy), pages newest first', async () => {
    const app = fresh()
    const all = await seats(app)
    expect(all.total).toBe(48)
    const ids = all.records.map((s) => s.keyId)
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    const disabled = await seats(app, { enable: 1 })
    expect(disabled.total).toBe(all.records.filter((s) => s.enable === 1).length)
    expect((await seats(app, { status: 3 })).records.every((s) => s.status === 3)).toBe(true)
    expect((await seats(app, { name: 'Agent' })).records.every((s) => s.name.includes('Agent'))).toBe(true)
    const page3 = await seats(app, {}, 3, 20)
    expect(page3).toMatchObject({ total: 48, pages: 3, current: 3 })
    expect(page3.records).toHaveLength(8)
  })

  it('requires the statistics window (newer page), at most seatQueryMaxDays days, end after start', async () => {
    const app = fresh()
    const q = (params: Record<string, unknown>) => call(app, QUERY, { current: 1, size: 10, params })
    expect((await q({})).reason).toContain('params.strTime is required')
    expect((await q({ strTime: '2024-12-01 00:00:00' })).reason).toContain('params.endTime is required')
    expect((await q({ strTime: '2021-08-01', endTime: '2024-12-02 00:00:00' })).status).toBe(-22)
    expect((await q({ strTime: '2025-02-30 00:00:00', endTime: '2025-03-02 00:00:00' })).status).toBe(-22)
    expect((await q({ strTime: '2024-12-01 00:00:00', endTime: '2025-01-02 00:00:01' })).reason).toContain(
      'at most 32 days',
    )
    expect((await q({ strTime: '2024-12-01 00:00:00', endTime: '2025-01-02 00:00:00' })).status).toBe(0)
    expect((await q({ strTime: '2024-12-02 00:00:00', endTime: '2024-12-01 00:00:00' })).reason).toContain(
      'must not be after',
    )
    const wide = createMockApp({ now: LATER, logLevel: 'silent', seatQueryMaxDays: 90 })
    expect(
      (
        await call(wide, QUERY, {
          current: 1,
          size: 1,
          params: { strTime: '2024-10-01 00:00:00', endTime: '2024-12-01 00:00:00' },
        })
      ).status,
    ).toBe(0)
  })

  it('statistics grow with the window and are stable; the legacy page has none and needs no window', async () => {
    const app = fresh()
    const short = await seats(app, { strTime: '2025-01-25 00:00:00', endTime: '2025-02-01 00:00:00' })
    const long = await seats(app, { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 00:00:00' })
    const sum = (p: SeatPage) => p.records.reduce((n, s) => n + (s.num ?? 0), 0)
    expect(sum(long)).toBeGreaterThan(sum(short))
    for (const s of long.records) {
      expect(s.connectNum).toBeLessThanOrEqual(s.num as number)
      expect(s.connectRate).toMatch(/^\d+\.\d{2}$/)
    }
    expect(await seats(app, { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 00:00:00' })).toEqual(long)
    const legacy = fresh({ seatQuery: 'legacy' })
    const res = await call(legacy, QUERY, { current: 1, size: 5, params: {} })
    expect(res.status).toBe(0)
    const record = (res.data as SeatPage).records[0] as Seat
    expect(record).not.toHaveProperty('num')
    expect((await call(legacy, QUERY, { current: 1, size: 5, params: { enable: 7 } })).status).toBe(-22)
  })
})

describe('seat/addSeatList', () => {
  it('creates enabled, offline seats with generated accounts and passwords, and returns keyId + name', async () => {
    const app = fresh()
    const group = await newGroup(app)
    const res = await call(app, ADD, { voiceGroupId: group, size: 3, displayNum: '1234', ccode: '91' })
    expect(res.status).toBe(0)
    expect(validator.errors('AddSeatListResponse', res)).toEqual([])
    const created = res.data as { keyId: number; name: string }[]
    expect(created).toHaveLength(3)
    const listed = await seats(app, { voiceGroupId: group })
    expect(listed.records.map((s) => s.keyId).sort()).toEqual(created.map((s) => s.keyId).sort())
    for (const s of listed.records) {
      expect(s).toMatchObject({ enable: 0, status: 1, appId: '1000009' })
      expect(s.password).toMatch(/^[A-Za-z0-9]{8}$/)
      expect(s.account).toMatch(/^\w+_\d+$/)
    }
    const countSeat = await call(app, '/v3/cc/seatGroup/query', {
      current: 1,
      size: 1,
      params: { groupName: 'Workflow group' },
    })
    expect((countSeat.data as { records: { countSeat: number }[] }).records[0]?.countSeat).toBe(3)
  })

  it('answers -36 past the seat quota (an option) and missingIdStatus for an unknown group', async () => {
    const app = fresh({ seatQuota: 50 })
    const group = await newGroup(app)
    expect((await call(app, ADD, { voiceGroupId: group, size: 2 })).status).toBe(0)
    expect((await call(app, ADD, { voiceGroupId: group, size: 1 })).status).toBe(-36)
    expect((await call(app, ADD, { voiceGroupId: 4242424, size: 1 })).status).toBe(-22)
    expect((await call(app, ADD, { voiceGroupId: group, size: 0 })).reason).toContain(
      'size must be at least 1',
    )
  })
})

describe('seat/updateSeat', () => {
  const base = { keyId: 5000001, voiceGroupId: '', name: 'Renamed', empNo: '9001' }

  async function target(app: ReturnType<typeof fresh>) {
    const s = (await seats(app, { status: 1, enable: 0 })).records[0] as Seat
    return { ...base, keyId: s.keyId, voiceGroupId: String(s.voiceGroupId), seat: s }
  }

  it('updates the fields and accepts voiceGroupId as a string (the table) or a number', async () => {
    const app = fresh()
    const { seat, ...req } = await target(app)
    expect(await call(app, UPDATE, { ...req, petName: 'nick', password: 'abc123', ccode: '63' })).toEqual({
      status: 0,
      reason: 'success',
      data: null,
    })
    const after = (await seats(app, { name: 'Renamed' })).records.find((s) => s.keyId === seat.keyId)
    expect(after).toMatchObject({ name: 'Renamed', empNo: '9001', password: 'abc123', ccode: '63' })
    expect((await call(app, UPDATE, { ...req, voiceGroupId: Number(req.voiceGroupId) })).status).toBe(0)
  })

  it('-34 duplicate empNo, -64 password, -65 group of another application, -66 ccode, -67 in a call', async () => {
    const app = fresh()
    const { seat, ...req } = await target(app)
    const other = (await seats(app)).records.find((s) => s.keyId !== seat.keyId) as Seat
    expect((await call(app, UPDATE, { ...req, empNo: other.empNo })).status).toBe(-34)
    expect((await call(app, UPDATE, { ...req, password: 'pass word!' })).status).toBe(-64)
    const groupsOfApp = (appId: string) =>
      [...mockState(app).world.groups.values()].find((g) => g.appId !== appId)?.voiceGroupId as number
    expect((await call(app, UPDATE, { ...req, voiceGroupId: String(groupsOfApp(seat.appId)) })).status).toBe(
      -65,
    )
    expect((await call(app, UPDATE, { ...req, ccode: '9999' })).status).toBe(-66)
    const admin = await app.request(`/__admin/accounts/bDqJFiq9/seats/${seat.keyId}`, {
      method: 'PUT',
      body: '{"status":3}',
    })
    expect(admin.status).toBe(200)
    expect((await call(app, UPDATE, req)).status).toBe(-67)
    expect((await call(app, UPDATE, { ...req, keyId: 9999999 })).status).toBe(-22)
  })
})

describe('seat/batchingSeat', () => {
  it('disables, enables and deletes; deleted seats are no longer listed or counted', async () => {
    const app = fresh()
    const group = await newGroup(app)
    const created = (await call(app, ADD, { voiceGroupId: group, size: 2 })).data as { keyId: number }[]
    const ids = created.map((s) => s.keyId)
    expect((await call(app, BATCH, { type: 3, idList: ids })).status).toBe(0)
    expect((await seats(app, { voiceGroupId: group, enable: 1 })).total).toBe(2)
    expect((await call(app, BATCH, { type: 4, idList: ids })).status).toBe(0)
    expect((await seats(app, { voiceGroupId: group, enable: 0 })).total).toBe(2)
    expect((await call(app, BATCH, { type: 2, idList: ids })).status).toBe(0)
    expect((await seats(app, { voiceGroupId: group })).total).toBe(0)
    expect((await seats(app)).total).toBe(48)
    expect((await call(app, BATCH, { type: 2, idList: ids })).status).toBe(-22)
  })

  it('-67 for a seat in a call, -68 for a seat whose group a calling task uses; all or nothing', async () => {
    const app = fresh()
    const group = await newGroup(app)
    const [a, b] = ((await call(app, ADD, { voiceGroupId: group, size: 2 })).data as { keyId: number }[]).map(
      (s) => s.keyId,
    )
    await app.request(`/__admin/accounts/bDqJFiq9/seats/${b}`, { method: 'PUT', body: '{"status":3}' })
    expect((await call(app, BATCH, { type: 2, idList: [a, b] })).status).toBe(-67)
    expect((await call(app, BATCH, { type: 3, idList: [a, b] })).status).toBe(-67)
    expect((await seats(app, { voiceGroupId: group })).total).toBe(2)
    // Generated groups carry calling (status 11) tasks in the default world.
    const world = mockState(app).world
    const busy = [...world.seats.values()].find((s) => world.inRunningTask(s, 0) && s.status !== 3)
    expect(busy).toBeDefined()
    expect((await call(app, BATCH, { type: 2, idList: [busy?.keyId] })).status).toBe(-68)
    expect((await call(app, BATCH, { type: 5, idList: [a] })).reason).toContain('type must be one of 2, 3, 4')
    expect((await call(app, BATCH, { type: 2, idList: [] })).status).toBe(-22)
  })
})

describe('rules a hostile probe tested', () => {
  it('addSeatList never hands out an employee number another seat already holds', async () => {
    const app = fresh()
    const s = (await seats(app, { enable: 0, status: 2 })).records[0] as Seat
    const next = mockState(app).world.seatIds.size + 5_000_001
    expect(
      (
        await call(app, UPDATE, {
          keyId: s.keyId,
          voiceGroupId: String(s.voiceGroupId),
          name: 'x',
          empNo: String(next),
        })
      ).status,
    ).toBe(0)
    const created = (await call(app, ADD, { voiceGroupId: s.voiceGroupId, size: 1 })).data as {
      keyId: number
    }[]
    expect(created[0]?.keyId).toBe(next)
    const empNos = (await seats(app)).records.map((r) => r.empNo)
    expect(new Set(empNos).size).toBe(empNos.length)
    // And the seat keeps its own number on a later update.
    expect(
      (
        await call(app, UPDATE, {
          keyId: s.keyId,
          voiceGroupId: String(s.voiceGroupId),
          name: 'y',
          empNo: String(next),
        })
      ).status,
    ).toBe(0)
  })

  it('addSeatList refuses an unknown country code (-22: its page has no -66)', async () => {
    const app = fresh()
    expect((await call(app, ADD, { voiceGroupId: 1000001, size: 1, ccode: 'zz' })).reason).toContain('ccode')
  })

  it('disabling a seat keeps the calls it made; a disabled seat cannot be put in a call', async () => {
    const app = fresh()
    const s = (await seats(app, { enable: 0, status: 2 })).records.find((r) => (r.num ?? 0) > 0) as Seat
    expect((await call(app, BATCH, { type: 3, idList: [s.keyId] })).status).toBe(0)
    const after = (await seats(app, { enable: 1 })).records.find((r) => r.keyId === s.keyId)
    expect(after?.num).toBe(s.num)
    const put = await app.request(`/__admin/accounts/bDqJFiq9/seats/${s.keyId}`, {
      method: 'PUT',
      body: '{"status":3}',
    })
    expect(put.status).toBe(409)
  })

  it('every generated group name keeps the 4-32 character rule', async () => {
    const res = await call(fresh(), '/v3/cc/seatGroup/query', { current: 1, size: 100, params: {} })
    for (const g of (res.data as { records: { groupName: string }[] }).records) {
      expect([...g.groupName].length).toBeGreaterThanOrEqual(4)
    }
  })
})
