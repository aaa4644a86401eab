// The seat-group and seat resources against the mock (in process and over HTTP), through its
// public API only: createMockApp/serveMock, /__admin/accounts for an isolated world per suite,
// X-Mock-Status / X-Mock-Fault and /__admin/scenarios to force answers.
import { inspect } from 'node:util'
import { createMockApp, serveMock } from '@laaffic-kit/mock-server'
import { DELETE_SEAT_GROUP, operationStatus, UPDATE_SEAT } from '@laaffic-kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createLaafficClient,
  createLaafficCore,
  DataExistsError,
  LaafficApiError,
  type LaafficClient,
  type LaafficClientOptions,
  LaafficConnectionError,
  LaafficHttpError,
  ParameterError,
  SeatGroups,
  SystemError,
} from '../src/index.js'
import { KEY, SECRET } from './helpers.js'

const WINDOW = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 23:59:59' }
const app = createMockApp({ apiKey: KEY, apiSecret: SECRET, tasks: 20, seed: 7, logLevel: 'silent' })

async function admin(method: string, path: string, body?: unknown) {
  const res = await app.request(`/__admin${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  expect(res.status).toBeLessThan(300)
  return res.json() as Promise<Record<string, unknown>>
}

/** A new account with a world of its own, and a client for it that counts what reached the mock. */
async function account(options: Partial<LaafficClientOptions> = {}) {
  const created = (await admin('POST', '/accounts', { seed: 11, tasks: 0 })) as {
    apiKey: string
    apiSecret: string
    apps: string[]
  }
  const seen: Request[] = []
  const client = createLaafficClient({
    apiKey: created.apiKey,
    apiSecret: created.apiSecret,
    baseUrl: 'http://mock.local',
    fetch: (req) => {
      seen.push(req)
      return app.fetch(req)
    },
    sleep: async () => {},
    ...options,
  })
  return { client, seen, apiKey: created.apiKey, apps: created.apps }
}

async function groupNamed(client: LaafficClient, name: string) {
  const all = await client.seatGroups.iterate({ params: { groupName: name } }).toArray()
  return all.find((g) => g.groupName === name)
}

describe('seat groups against the mock', () => {
  let a: Awaited<ReturnType<typeof account>>
  beforeAll(async () => {
    a = await account()
  })

  it('query and iterate agree on every group of the account', async () => {
    const first = await a.client.seatGroups.query({ current: 1, size: 5, params: {} })
    expect(first.total).toBeGreaterThan(5)
    const all = await a.client.seatGroups.iterate({ size: 5, params: {} }).toArray()
    expect(all).toHaveLength(first.total)
    expect(new Set(all.map((g) => g.voiceGroupId)).size).toBe(first.total)
    expect(all.slice(0, 5)).toEqual(first.records)
  })

  it('add → query finds it → update renames it → delete → a second delete is -24 with its meaning', async () => {
    await expect(
      a.client.seatGroups.add({ groupName: 'client-test-1', appId: a.apps[0]! }),
    ).resolves.toBeNull()
    const group = await groupNamed(a.client, 'client-test-1')
    expect(group).toBeDefined()
    const { voiceGroupId } = group!
    await expect(a.client.seatGroups.update({ voiceGroupId, groupName: 'client-test-2' })).resolves.toBeNull()
    expect((await groupNamed(a.client, 'client-test-2'))?.voiceGroupId).toBe(voiceGroupId)
    await expect(a.client.seatGroups.delete({ voiceGroupId })).resolves.toBeNull()
    const again = (await a.client.seatGroups
      .delete({ voiceGroupId })
      .catch((e: unknown) => e)) as LaafficApiError
    expect(again.constructor).toBe(LaafficApiError)
    expect(again.code).toBe(-24)
    expect(again.operation).toBe('deleteSeatGroup')
    expect(again.meaning).toBe(operationStatus(DELETE_SEAT_GROUP, -24)!.meaning)
  })

  it('a duplicate name is DataExistsError; a bad appId is ParameterError', async () => {
    await a.client.seatGroups.add({ groupName: 'client-dup', appId: a.apps[0]! })
    await expect(
      a.client.seatGroups.add({ groupName: 'client-dup', appId: a.apps[0]! }),
    ).rejects.toBeInstanceOf(DataExistsError)
    await expect(a.client.seatGroups.add({ groupName: 'client-x', appId: 'nope' })).rejects.toBeInstanceOf(
      ParameterError,
    )
  })

  it("a group with seats cannot be deleted: -64 with deleteSeatGroup's meaning", async () => {
    const withSeats = (await a.client.seatGroups.iterate({ params: {} }).toArray()).find(
      (g) => g.countSeat > 0,
    )!
    const err = (await a.client.seatGroups
      .delete({ voiceGroupId: withSeats.voiceGroupId })
      .catch((e: unknown) => e)) as LaafficApiError
    expect(err.constructor).toBe(LaafficApiError)
    expect(err.code).toBe(-64)
    expect(err.meaning).toBe(operationStatus(DELETE_SEAT_GROUP, -64)!.meaning)
  })
})

describe('seats against the mock', () => {
  let a: Awaited<ReturnType<typeof account>>
  let voiceGroupId: number
  beforeAll(async () => {
    a = await account()
    await a.client.seatGroups.add({ groupName: 'client-seats', appId: a.apps[0]! })
    voiceGroupId = (await groupNamed(a.client, 'client-seats'))!.voiceGroupId
  })

  const inGroup = async (c: LaafficClient, id: number) =>
    c.seats.iterate({ params: { ...WINDOW, voiceGroupId: id } }).toArray()

  it('addList creates the seats and returns their keyId and name; query finds them, passwords included', async () => {
    const created = await a.client.seats.addList({ voiceGroupId, size: 3, displayNum: '1234', ccode: '91' })
    expect(created).toHaveLength(3)
    for (const seat of created) expect(seat).toEqual({ keyId: expect.any(Number), name: expect.any(String) })
    const seats = await inGroup(a.client, voiceGroupId)
    expect(seats.map((s) => s.keyId).sort()).toEqual(created.map((s) => s.keyId).sort())
    for (const seat of seats) expect(seat.password).toMatch(/^\S+$/)
  })

  it('iterate walks every seat of the account once', async () => {
    const first = await a.client.seats.query({ current: 1, size: 7, params: WINDOW })
    const all = await a.client.seats.iterate({ size: 7, params: WINDOW }).toArray()
    expect(all).toHaveLength(first.total)
    expect(new Set(all.map((s) => s.keyId)).size).toBe(first.total)
  })

  it('update edits a seat; batch disables and enables', async () => {
    const [seat] = await inGroup(a.client, voiceGroupId)
    await expect(
      a.client.seats.update({
        keyId: seat!.keyId,
        voiceGroupId,
        name: 'renamed',
        empNo: `E${seat!.keyId}`,
        password: 'abc123XYZ',
      }),
    ).resolves.toBeNull()
    const after = (await inGroup(a.client, voiceGroupId)).find((s) => s.keyId === seat!.keyId)!
    expect(after.name).toBe('renamed')
    expect(after.password).toBe('abc123XYZ')
    await expect(a.client.seats.batch({ type: 3, idList: [seat!.keyId] })).resolves.toBeNull()
    const disabled = await a.client.seats.query({
      current: 1,
      size: 100,
      params: { ...WINDOW, voiceGroupId, enable: 1 },
    })
    expect(disabled.records.map((s) => s.keyId)).toEqual([seat!.keyId])
    await expect(a.client.seats.batch({ type: 4, idList: [seat!.keyId] })).resolves.toBeNull()
  })

  it("a seat in a call: -67 on update with updateSeat's meaning", async () => {
    const [seat] = await inGroup(a.client, voiceGroupId)
    await admin('PUT', `/accounts/${a.apiKey}/seats/${seat!.keyId}`, { status: 3 })
    const err = (await a.client.seats
      .update({ keyId: seat!.keyId, voiceGroupId, name: 'n', empNo: `E${seat!.keyId}` })
      .catch((e: unknown) => e)) as LaafficApiError
    expect(err.code).toBe(-67)
    expect(err.operation).toBe('updateSeat')
    expect(err.meaning).toBe(operationStatus(UPDATE_SEAT, -67)!.meaning)
    await admin('PUT', `/accounts/${a.apiKey}/seats/${seat!.keyId}`, { status: 2 })
  })

  it("-64 forced on updateSeat means the password rule, not deleteSeatGroup's", async () => {
    const err = (await a.client.seats
      .update({ keyId: 1, voiceGroupId, name: 'n', empNo: 'e' }, { headers: { 'X-Mock-Status': '-64' } })
      .catch((e: unknown) => e)) as LaafficApiError
    expect(err.code).toBe(-64)
    expect(err.meaning).toBe(operationStatus(UPDATE_SEAT, -64)!.meaning)
    expect(err.meaning).not.toBe(operationStatus(DELETE_SEAT_GROUP, -64)!.meaning)
  })

  it('batch delete empties the group, which can then be deleted', async () => {
    const seats = await inGroup(a.client, voiceGroupId)
    await a.client.seats.batch({ type: 2, idList: seats.map((s) => s.keyId) })
    expect(await inGroup(a.client, voiceGroupId)).toEqual([])
    await expect(a.client.seatGroups.delete({ voiceGroupId })).resolves.toBeNull()
  })

  it('a seat query without its statistics window is a ParameterError from the mock', async () => {
    await expect(a.client.seats.query({ current: 1, size: 1, params: {} } as never)).rejects.toBeInstanceOf(
      ParameterError,
    )
  })
})

describe('write retries against the mock', () => {
  let a: Awaited<ReturnType<typeof account>>
  let voiceGroupId: number
  beforeAll(async () => {
    a = await account()
    await a.client.seatGroups.add({ groupName: 'client-retries', appId: a.apps[0]! })
    voiceGroupId = (await groupNamed(a.client, 'client-retries'))!.voiceGroupId
  })
  const count = async () =>
    (await a.client.seats.query({ current: 1, size: 1, params: { ...WINDOW, voiceGroupId } })).total

  it.each([
    ['http-500', LaafficHttpError],
    ['http-502', LaafficHttpError],
    ['reset', LaafficConnectionError],
  ])('addList with %s: one attempt, no retry', async (fault, Ctor) => {
    const before = a.seen.length
    await expect(
      a.client.seats.addList({ voiceGroupId, size: 1 }, { headers: { 'X-Mock-Fault': fault } }),
    ).rejects.toBeInstanceOf(Ctor)
    expect(a.seen.length - before).toBe(1)
  })

  it('addList with -18: one attempt; with retryWrites always: retried', async () => {
    let before = a.seen.length
    await expect(
      a.client.seats.addList({ voiceGroupId, size: 1 }, { headers: { 'X-Mock-Status': '-18' } }),
    ).rejects.toBeInstanceOf(SystemError)
    expect(a.seen.length - before).toBe(1)
    before = a.seen.length
    await expect(
      a.client.seats.addList(
        { voiceGroupId, size: 1 },
        { headers: { 'X-Mock-Status': '-18' }, retryWrites: 'always' },
      ),
    ).rejects.toBeInstanceOf(SystemError)
    expect(a.seen.length - before).toBe(3)
  })

  it.each(['http-503', 'http-429'])(
    'addList after %s once (scenario): retried, and the seats are created once',
    async (fault) => {
      const start = await count()
      await admin('POST', '/scenarios', { fault, times: 1, match: { apiKey: a.apiKey } })
      const before = a.seen.length
      const created = await a.client.seats.addList({ voiceGroupId, size: 2 })
      expect(created).toHaveLength(2)
      expect(a.seen.length - before).toBe(2)
      expect(await count()).toBe(start + 2)
    },
  )
})

describe('over real HTTP (serveMock, global fetch)', () => {
  let mock: Awaited<ReturnType<typeof serveMock>>
  beforeAll(async () => {
    mock = await serveMock({ apiKey: KEY, apiSecret: SECRET, tasks: 10, port: 0, logLevel: 'silent' })
  })
  afterAll(async () => {
    await mock.close()
  })

  it('every resource works, the GET delete included; one resource over the core alone too', async () => {
    const lines: string[] = []
    const log = (m: string) => {
      lines.push(m)
    }
    const c = createLaafficClient({
      apiKey: KEY,
      apiSecret: SECRET,
      baseUrl: mock.url,
      logger: { debug: log, info: log, warn: log, error: log },
    })
    const groups = await c.seatGroups.iterate({ params: {} }).toArray()
    expect(groups.length).toBeGreaterThan(0)
    const seats = await c.seats.iterate({ params: WINDOW }).toArray()
    expect(seats.length).toBe(groups.reduce((n, g) => n + g.countSeat, 0))
    expect((await c.previewTasks.query({ current: 1, size: 5, params: {} })).total).toBe(10)
    // Passwords reach the caller and no log line.
    const passwords = seats.map((s) => s.password)
    expect(passwords.every((p) => typeof p === 'string' && p.length > 0)).toBe(true)
    for (const line of lines) for (const p of passwords) expect(line).not.toContain(p)
    expect(lines.some((l) => l.includes('POST /v3/cc/seat/query page 1 attempt 1'))).toBe(true)

    const appId = seats[0]!.appId
    const slim = new SeatGroups(createLaafficCore({ apiKey: KEY, apiSecret: SECRET, baseUrl: mock.url }))
    await slim.add({ groupName: 'over-http', appId })
    const group = (await slim.iterate({ params: { groupName: 'over-http' } }).toArray())[0]!
    await expect(slim.delete({ voiceGroupId: group.voiceGroupId })).resolves.toBeNull()
  })

  it('seat passwords stay out of an error built from a malformed seat page', async () => {
    const c = createLaafficClient({ apiKey: KEY, apiSecret: SECRET, baseUrl: mock.url })
    const seats = await c.seats.query({ current: 1, size: 20, params: WINDOW })
    const err = (await c.seats
      .query({ current: 1, size: 20, params: WINDOW }, { headers: { 'X-Mock-Fault': 'malformed' } })
      .catch((e: unknown) => e)) as LaafficHttpError
    expect(err).toBeInstanceOf(LaafficHttpError)
    const text = [inspect(err, { depth: 10 }), JSON.stringify(err), err.bodyExcerpt, err.message]
    for (const seat of seats.records) for (const t of text) expect(t).not.toContain(seat.password)
    expect(err.bodyExcerpt).toContain('"password":"[redacted]"')
  })
})
