import { readFileSync } from 'node:fs'
import { computeSign } from '@laaffic-kit/protocol'
import { type RedisServer, redisServerPath, startRedisServer } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockApp, mockState } from '../src/app.js'
import { silentLogger } from '../src/log.js'
import { KEY, NOW, SECRET } from './helpers.js'

/**
 * A replica on Redis answers exactly as the in-memory mock does: every write goes through the
 * log (the validated request as JSON, applied from there), so a handler that saw anything but
 * plain JSON, or a clock other than the request's, would answer differently here.
 */
const hasRedis = redisServerPath() !== undefined

type Step = { method: 'GET' | 'POST'; path: string; body?: unknown; headers?: Record<string, string> }

const xls = readFileSync(new URL('./fixtures/number-files/independent.xls', import.meta.url)).toString(
  'base64',
)
const G = 1000101 // the first group created
const S = 5000049 // the first seats created (48 generated)

const STEPS: Step[] = [
  { method: 'POST', path: 'seatGroup/addGroup', body: { appId: '1000009', groupName: 'eq-demo' } },
  { method: 'POST', path: 'seatGroup/addGroup', body: { appId: '1000009', groupName: 'eq-demo' } }, // -20
  {
    method: 'POST',
    path: 'seatGroup/query',
    body: { current: 1, size: 10, params: { groupName: 'eq-demo' } },
  },
  {
    method: 'POST',
    path: 'seat/addSeatList',
    body: { voiceGroupId: G, size: 2, displayNum: '1234', ccode: '91' },
  },
  {
    method: 'POST',
    path: 'seat/query',
    body: {
      current: 1,
      size: 10,
      params: { voiceGroupId: G, strTime: '2021-08-25 00:00:00', endTime: '2021-09-01 08:00:00' },
    },
  },
  {
    method: 'POST',
    path: 'seat/updateSeat',
    body: { keyId: S, voiceGroupId: String(G), name: 'Ana', empNo: '9001' },
  },
  { method: 'POST', path: 'seat/updateSeat', body: { keyId: S, voiceGroupId: String(G), password: 'a-b' } }, // refused (-22)
  { method: 'POST', path: 'seat/batchingSeat', body: { type: 3, idList: [S] } },
  // A write behind a delay fault: its answer is awaited inside the fault.
  {
    method: 'POST',
    path: 'seat/batchingSeat',
    body: { type: 4, idList: [S] },
    headers: { 'X-Mock-Fault': 'delay=1' },
  },
  { method: 'GET', path: `seatGroup/deleteGroup?voiceGroupId=${G}` }, // -64: seats in it
  { method: 'POST', path: 'seat/batchingSeat', body: { type: 2, idList: [S, S + 1] } },
  { method: 'GET', path: `seatGroup/deleteGroup?voiceGroupId=${G}` },
  { method: 'POST', path: 'preview/upload', body: { fileName: 'numbers.xls', file: xls } },
  { method: 'POST', path: 'preview/upload', body: { fileName: 'numbers.xls', file: xls } },
  { method: 'POST', path: 'seatGroup/updateGroup', body: { voiceGroupId: 1000001, groupName: 'renamed' } },
  { method: 'POST', path: 'seatGroup/query', body: { current: 1, size: 100, params: {} } },
]

/** Headers signed for another Timestamp (they override send()'s own). */
const signedAt = (ts: number): Record<string, string> => ({
  Timestamp: String(ts),
  Sign: computeSign(KEY, SECRET, ts),
})

async function send(app: ReturnType<typeof createMockApp>, step: Step): Promise<unknown> {
  const res = await app.request(`/v3/cc/${step.path}`, {
    method: step.method,
    headers: {
      'Content-Type': 'application/json',
      'Api-Key': KEY,
      Timestamp: String(NOW),
      Sign: computeSign(KEY, SECRET, NOW),
      ...step.headers,
    },
    ...(step.body !== undefined ? { body: JSON.stringify(step.body) } : {}),
  })
  expect(res.status).toBe(200)
  return res.json()
}

describe.skipIf(!hasRedis)('a replica on Redis answers as the in-memory mock', () => {
  let redis: RedisServer | undefined
  let shared: ReturnType<typeof createMockApp> | undefined
  const memory = createMockApp({ now: NOW, logger: silentLogger })

  beforeAll(async () => {
    redis = await startRedisServer()
    shared = createMockApp({ now: NOW, logger: silentLogger, replica: 'eq', stateStore: redis.url })
    await mockState(shared).shared.start()
  })
  afterAll(async () => {
    if (shared) await mockState(shared).shared.close()
    await redis?.stop()
  })

  it('the README workflow (groups, seats, updates, refusals, deletes, uploads), answer for answer', async () => {
    const app = shared as ReturnType<typeof createMockApp>
    expect(mockState(app).shared.kind).toBe('redis')
    const statuses: number[] = []
    for (const step of STEPS) {
      const a = await send(memory, step)
      const b = await send(app, step)
      expect(b, `${step.method} ${step.path}`).toEqual(a)
      statuses.push((a as { status: number }).status)
    }
    // The workflow really took both paths: successes and in-band refusals.
    expect(statuses).toContain(-20)
    expect(statuses).toContain(-64)
    expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(8)
  })

  it('an agent task submitted, then seen as the clock moves (admin clock through the log), answer for answer', async () => {
    const app = shared as ReturnType<typeof createMockApp>
    const upload = STEPS.find((s) => s.path === 'preview/upload') as Step
    const uploaded = (await send(memory, upload)) as { data: { filePath: string } }
    expect(await send(app, upload)).toEqual(uploaded)
    const submit: Step = {
      method: 'POST',
      path: 'preview/submitTask',
      body: {
        filePath: uploaded.data.filePath,
        fileName: 'numbers.xls',
        type: 0,
        remark: 'eq',
        ccode: '86',
        displayNum: '8613900000000',
        maxRingingTime: 30,
      },
    }
    const submitted = (await send(memory, submit)) as { status: number; data?: { taskId?: number } }
    expect(await send(app, submit)).toEqual(submitted)
    expect(submitted.status).toBe(0)
    const query: Step = {
      method: 'POST',
      path: 'preview/query',
      body: { current: 1, size: 5, params: { startTime: '2021-08-01', endTime: '2021-09-30' } },
    }
    for (const shift of [0, 120, 3600, 86_400]) {
      for (const a of [memory, app]) {
        const res = await a.request('/__admin/clock', { method: 'PUT', body: JSON.stringify({ shift }) })
        expect(res.status).toBe(200)
      }
      // Signed at the moved clock: the Timestamp window follows the mock's clock.
      const at = { ...query, headers: signedAt(NOW + shift) }
      const m = await send(memory, at)
      expect((m as { data?: { total?: number } }).data?.total).toBeGreaterThan(0) // the task submitted
      expect(await send(app, at), `shift ${shift}`).toEqual(m)
    }
  })
})
