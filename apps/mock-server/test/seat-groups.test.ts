import { describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { call, NOW, signed, validator } from './helpers.js'

const fresh = (extra = {}) => createMockApp({ now: NOW, logLevel: 'silent', ...extra })
const QUERY = '/v3/cc/seatGroup/query'
const ADD = '/v3/cc/seatGroup/addGroup'
const UPDATE = '/v3/cc/seatGroup/updateGroup'
const del = (id: number | string) => `/v3/cc/seatGroup/deleteGroup?voiceGroupId=${id}`

type GroupPage = {
  total: number
  pages: number
  current: number
  records: { voiceGroupId: number; groupName: string; countSeat: number; appName: string }[]
}

async function groups(
  app: ReturnType<typeof fresh>,
  params: Record<string, unknown> = {},
  current = 1,
  size = 100,
) {
  const res = await call(app, QUERY, { current, size, params })
  expect(res.status).toBe(0)
  expect(validator.errors('SeatGroupQueryResponse', res)).toEqual([])
  return res.data as GroupPage
}

describe('seatGroup/query', () => {
  it('lists the generated groups with counts that agree with seat/query', async () => {
    const app = fresh()
    const page = await groups(app)
    expect(page.total).toBe(12)
    const total = page.records.reduce((n, g) => n + g.countSeat, 0)
    expect(total).toBe(48)
    // The vendor example task's group belongs to its application.
    const example = page.records.find((g) => g.voiceGroupId === 1000006)
    expect(example?.groupName).toBe('测试基础设置(话机)')
  })

  it('pages like MyBatis-Plus and filters by name (contains by default, exact as an option)', async () => {
    const app = fresh()
    const p2 = await groups(app, {}, 2, 5)
    expect(p2).toMatchObject({ total: 12, pages: 3, current: 2 })
    expect(p2.records).toHaveLength(5)
    const past = await groups(app, {}, 9, 5)
    expect(past).toMatchObject({ total: 12, pages: 3, current: 9, records: [] })
    expect((await groups(app, { groupName: '销售' })).records.map((g) => g.groupName).sort()).toEqual([
      '销售一组',
      '销售二组',
    ])
    expect((await groups(fresh({ groupNameMatch: 'exact' }), { groupName: '销售' })).total).toBe(0)
  })

  it('rejects bad paging with -22 naming the field', async () => {
    const res = await call(fresh(), QUERY, { current: 1, size: 101, params: {} })
    expect(res).toMatchObject({ status: -22 })
    expect(res.reason).toContain('size must be at most 100')
    expect((await call(fresh(), QUERY, { current: 1, size: 10 })).reason).toContain('params is required')
  })
})

describe('seatGroup/addGroup and updateGroup', () => {
  it('creates a group that reads back by name, and renames it', async () => {
    const app = fresh()
    expect(await call(app, ADD, { appId: '1000009', groupName: 'sipGroup' })).toEqual({
      status: 0,
      reason: 'success',
      data: null,
    })
    const [created] = (await groups(app, { groupName: 'sipGroup' })).records
    expect(created).toMatchObject({ groupName: 'sipGroup', countSeat: 0, appName: '群呼转坐席-演示' })
    expect(created?.voiceGroupId).toBeGreaterThanOrEqual(1_000_000)
    expect(created?.voiceGroupId).toBeLessThan(10_000_000)
    const id = created?.voiceGroupId as number
    expect((await call(app, UPDATE, { voiceGroupId: id, groupName: 'renamed' })).status).toBe(0)
    expect((await groups(app, { groupName: 'renamed' })).records[0]?.voiceGroupId).toBe(id)
  })

  it('keeps names unique per application (code is an option) and 4-32 characters', async () => {
    const app = fresh()
    expect((await call(app, ADD, { appId: '1000009', groupName: '默认坐席组' })).status).toBe(-20)
    // The same name in another application is fine.
    expect((await call(app, ADD, { appId: '1000012', groupName: '默认坐席组' })).status).toBe(0)
    expect(
      (await call(fresh({ duplicateGroupStatus: -63 }), ADD, { appId: '1000009', groupName: '默认坐席组' }))
        .status,
    ).toBe(-63)
    expect((await call(app, ADD, { appId: '1000009', groupName: 'abc' })).reason).toContain(
      'groupName must be at least 4 characters',
    )
    expect((await call(app, ADD, { appId: '1000009', groupName: 'x'.repeat(33) })).status).toBe(-22)
    // Renaming onto another group's name of the same application.
    expect((await call(app, UPDATE, { voiceGroupId: 1000001, groupName: 'Outbound PH' })).status).toBe(-20)
    // Renaming to its own name is not a conflict.
    expect((await call(app, UPDATE, { voiceGroupId: 1000007, groupName: 'Outbound PH' })).status).toBe(0)
  })

  it('answers missingIdStatus for an unknown application or group', async () => {
    const app = fresh()
    expect((await call(app, ADD, { appId: 'nope1234', groupName: 'abcd' })).status).toBe(-22)
    expect((await call(app, UPDATE, { voiceGroupId: 4242424, groupName: 'abcd' })).status).toBe(-22)
    expect(
      (await call(fresh({ missingIdStatus: -24 }), UPDATE, { voiceGroupId: 4242424, groupName: 'abcd' }))
        .status,
    ).toBe(-24)
  })
})

describe('seatGroup/deleteGroup (GET)', () => {
  it('-64 while seats are in the group, -24 for an unknown one, success once empty', async () => {
    const app = fresh()
    const withSeats = (await groups(app)).records.find((g) => g.countSeat > 0)
    expect((await call(app, del(withSeats?.voiceGroupId as number), undefined)).status).toBe(-64)
    expect((await call(app, del(4242424), undefined)).status).toBe(-24)
    await call(app, ADD, { appId: '1000015', groupName: 'to delete' })
    const [g] = (await groups(app, { groupName: 'to delete' })).records
    const res = await call(app, del(g?.voiceGroupId as number), undefined)
    expect(res).toEqual({ status: 0, reason: 'success', data: null })
    expect((await groups(app, { groupName: 'to delete' })).total).toBe(0)
    expect((await call(app, del(g?.voiceGroupId as number), undefined)).status).toBe(-24)
  })

  it('a HEAD never deletes (Hono would run the GET handler for it)', async () => {
    const app = fresh()
    await call(app, ADD, { appId: '1000015', groupName: 'head check' })
    const [g] = (await groups(app, { groupName: 'head check' })).records
    const head = await app.request(del(g?.voiceGroupId as number), { method: 'HEAD', headers: signed() })
    expect(head.status).toBe(405)
    expect((await groups(app, { groupName: 'head check' })).total).toBe(1)
  })

  it('needs a voiceGroupId of digits, and the signing headers like any POST', async () => {
    const app = fresh()
    expect((await call(app, '/v3/cc/seatGroup/deleteGroup', undefined)).reason).toContain(
      'voiceGroupId is required',
    )
    expect((await call(app, del('12a'), undefined)).reason).toContain(
      'voiceGroupId must be a positive integer',
    )
    expect((await call(app, del(1000001), undefined, { 'Api-Key': 'bDqJFiq9' })).status).toBe(-1)
  })
})
