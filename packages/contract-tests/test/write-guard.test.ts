import { createLaafficClient } from '@laaffic-kit/client'
import { createMockApp, silentLogger } from '@laaffic-kit/mock-server'
import { OPERATIONS } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { sweepRun } from '../src/cleanup.js'
import { readSandboxEnv, sandboxWritesEnabled } from '../src/env.js'
import { seatWindow } from '../src/operations.js'
import { sandboxTarget } from '../src/targets.js'
import {
  createWriteGuard,
  GUARDED_WRITE_OPERATIONS,
  MAX_UPLOAD_BASE64,
  NEVER_SENT_OPERATIONS,
  READ_ONLY_OPERATIONS,
  RUN_PREFIX,
  WriteRefusedError,
} from '../src/write-guard.js'

// Everything here runs without a network: the "server" is a stub fetch that records what
// reached it, or the mock app in process.
const BASE = 'https://sandbox.example/api'
const VARS = { LAAFFIC_BASE_URL: BASE, LAAFFIC_API_KEY: 'key', LAAFFIC_API_SECRET: 'secret' }

function stub(answer: (req: Request) => unknown = () => ({ status: 0, reason: 'success', data: null })) {
  const seen: string[] = []
  const inner: typeof fetch = async (input, init) => {
    const req = new Request(input, init)
    seen.push(`${req.method} ${new URL(req.url).pathname}${new URL(req.url).search}`)
    return Response.json(answer(req))
  }
  return { inner, seen }
}

const post = (guarded: typeof fetch, path: string, body: unknown) =>
  guarded(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

const guard = (guarded: typeof fetch, method: string, path: string) =>
  guarded(`${BASE}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(method === 'GET' ? {} : { body: '{"taskId":1}' }),
  })

describe('LAAFFIC_SANDBOX_WRITES', () => {
  it('is on only for the exact value 1', () => {
    expect(sandboxWritesEnabled({})).toBe(false)
    for (const v of ['0', 'true', 'yes', '', ' ', '11'])
      expect(sandboxWritesEnabled({ LAAFFIC_SANDBOX_WRITES: v })).toBe(false)
    expect(sandboxWritesEnabled({ LAAFFIC_SANDBOX_WRITES: '1' })).toBe(true)
    expect(readSandboxEnv(VARS).config?.writes).toBe(false)
    expect(readSandboxEnv({ ...VARS, LAAFFIC_SANDBOX_WRITES: '1' }).config?.writes).toBe(true)
    expect(readSandboxEnv({ ...VARS, LAAFFIC_SANDBOX_APP_ID: ' app1 ' }).config?.appId).toBe('app1')
  })
})

describe("the sandbox target's write guard", () => {
  it('without the variable, refuses every write before it reaches the network, and lets reads through', async () => {
    const { inner, seen } = stub()
    const { config } = readSandboxEnv(VARS)
    const t = sandboxTarget('sandbox', config!, inner)
    expect(t.writes).toBe(false)
    const client = createLaafficClient({
      apiKey: 'key',
      apiSecret: 'secret',
      baseUrl: BASE,
      fetch: t.fetch,
      maxRetries: 0,
    })
    const writes = [
      () => client.seatGroups.add({ appId: 'a', groupName: `${RUN_PREFIX}x` }),
      () => client.seatGroups.update({ voiceGroupId: 1, groupName: `${RUN_PREFIX}x` }),
      () => client.seatGroups.delete({ voiceGroupId: 1 }),
      () => client.seats.addList({ voiceGroupId: 1, size: 1 }),
      () => client.seats.update({ keyId: 1, voiceGroupId: '1', name: 'x', empNo: '1' }),
      () => client.seats.batch({ type: 2, idList: [1] }),
      // It stores a file on the real account for good: a write like the others.
      () => client.previewFiles.upload({ fileName: `${RUN_PREFIX}x.xlsx`, file: new Uint8Array([1, 2, 3]) }),
    ]
    expect(writes).toHaveLength(GUARDED_WRITE_OPERATIONS.length)
    for (const write of writes) {
      const error = await write().then(
        () => undefined,
        (e: unknown) => e,
      )
      // The client wraps what its fetch threw; the guard's message survives on the cause chain.
      expect(String((error as Error).cause ?? error) + String(error)).toMatch(/sandbox writes are off/)
    }
    expect(seen).toEqual([])
    await client.seatGroups.query({ current: 1, size: 1, params: {} }).catch(() => undefined)
    expect(seen).toEqual(['POST /api/v3/cc/seatGroup/query'])
  })

  it('never sends a task submission or resend, nor any path it does not know, even with writes on', async () => {
    const { inner, seen } = stub()
    const guard = createWriteGuard({ inner, baseUrl: BASE, writes: true })
    for (const path of [
      '/v3/cc/preview/submitTask',
      '/v3/cc/preview/resendTask',
      '/v3/voice/group/call/send',
    ])
      await expect(post(guard.fetch, path, {})).rejects.toThrow(WriteRefusedError)
    // The right path with the wrong method is refused too.
    await expect(guard.fetch(`${BASE}/v3/cc/seatGroup/addGroup`, { method: 'GET' })).rejects.toThrow(
      /is a POST/,
    )
    expect(seen).toEqual([])
    // Every operation of the kit is exactly one of: a read, a guarded write, never sent.
    const lists = [READ_ONLY_OPERATIONS, GUARDED_WRITE_OPERATIONS, NEVER_SENT_OPERATIONS]
    expect(lists.flat().sort()).toEqual(OPERATIONS.map((o) => o.id).sort())
    expect(new Set(lists.flat()).size).toBe(OPERATIONS.length)
  })

  // submit/resend dial real numbers; edit/cancel would change a real account's real tasks.
  for (const writes of [false, true])
    it(`refuses all four agent-task writes before the network, writes ${writes ? 'on' : 'off'}, through the client and raw`, async () => {
      const { inner, seen } = stub()
      const vars = writes ? { ...VARS, LAAFFIC_SANDBOX_WRITES: '1' } : VARS
      const t = sandboxTarget('sandbox', readSandboxEnv(vars).config!, inner)
      expect(t.writes).toBe(writes)
      const client = createLaafficClient({
        apiKey: 'key',
        apiSecret: 'secret',
        baseUrl: BASE,
        fetch: t.fetch,
        maxRetries: 0,
      })
      const calls: Record<string, () => Promise<unknown>> = {
        submitPreviewTask: () =>
          client.previewTasks.submit({ filePath: '/mnt/cc/1.xls', fileName: `${RUN_PREFIX}x.xls`, type: 0 }),
        editPreviewTask: () => client.previewTasks.edit({ taskId: 1, calloutRate: 1 }),
        cancelPreviewTask: () => client.previewTasks.cancel({ taskId: 1 }),
        resendPreviewTask: () => client.previewTasks.resend({ taskId: 1, resendType: 1, type: 0 }),
      }
      expect(Object.keys(calls).sort()).toEqual([...NEVER_SENT_OPERATIONS].sort())
      for (const [id, call] of Object.entries(calls)) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(error, id).toBeDefined()
        // The client wraps what its fetch threw; the guard's message survives on the cause chain.
        expect(String((error as Error).cause ?? error) + String(error)).toMatch(
          /never submits, resends, edits or cancels a task/,
        )
      }
      // Raw, under any method, with a trailing slash or a different case: refused all the same.
      for (const op of OPERATIONS.filter((o) => NEVER_SENT_OPERATIONS.includes(o.id)))
        for (const path of [op.path, `${op.path}/`, op.path.toUpperCase()])
          for (const method of ['POST', 'GET', 'PUT'])
            await expect(guard(t.fetch, method, path), `${method} ${path}`).rejects.toThrow(WriteRefusedError)
      expect(seen).toEqual([])
      // The run's read-only queries still go out.
      await client.previewTasks.query({ current: 1, size: 1, params: {} }).catch(() => undefined)
      expect(seen).toEqual(['POST /api/v3/cc/preview/query'])
    })

  it('with writes on, touches only what this run created, under the run prefix', async () => {
    const groups = [
      { voiceGroupId: 77, groupName: `${RUN_PREFIX}abc`, countSeat: 0 },
      { voiceGroupId: 5, groupName: 'real group' },
    ]
    const { inner, seen } = stub((req) => {
      const path = new URL(req.url).pathname
      if (path.endsWith('/seatGroup/query'))
        return {
          status: 0,
          reason: 'success',
          data: { total: 2, size: 10, current: 1, pages: 1, records: groups },
        }
      if (path.endsWith('/seat/addSeatList'))
        return { status: 0, reason: 'success', data: [{ keyId: 900, name: 'n' }] }
      return { status: 0, reason: 'success', data: null }
    })
    const guard = createWriteGuard({ inner, baseUrl: BASE, writes: true })
    const refused = (path: string, body: unknown) =>
      expect(post(guard.fetch, path, body)).rejects.toThrow(WriteRefusedError)

    await refused('/v3/cc/seatGroup/addGroup', { appId: 'a', groupName: 'no prefix' })
    await post(guard.fetch, '/v3/cc/seatGroup/addGroup', { appId: 'a', groupName: `${RUN_PREFIX}abc` })
    // Its id is unknown until a query lists it: until then it may not be touched.
    await refused('/v3/cc/seatGroup/updateGroup', { voiceGroupId: 77, groupName: `${RUN_PREFIX}abd` })
    await post(guard.fetch, '/v3/cc/seatGroup/query', { current: 1, size: 10, params: {} })
    expect([...guard.ledger.groups]).toEqual([77])
    await refused('/v3/cc/seatGroup/updateGroup', { voiceGroupId: 5, groupName: `${RUN_PREFIX}abd` })
    await refused('/v3/cc/seatGroup/updateGroup', {
      voiceGroupId: 77,
      groupName: 'renamed away from the prefix',
    })
    await post(guard.fetch, '/v3/cc/seatGroup/updateGroup', {
      voiceGroupId: 77,
      groupName: `${RUN_PREFIX}abd`,
    })
    await refused('/v3/cc/seat/addSeatList', { voiceGroupId: 5, size: 1 })
    await refused('/v3/cc/seat/addSeatList', { voiceGroupId: 77, size: 6 })
    await post(guard.fetch, '/v3/cc/seat/addSeatList', { voiceGroupId: 77, size: 1 })
    expect([...guard.ledger.seats]).toEqual([900])
    await refused('/v3/cc/seat/updateSeat', { keyId: 901, voiceGroupId: '77', name: 'x', empNo: '1' })
    await refused('/v3/cc/seat/updateSeat', { keyId: 900, voiceGroupId: '5', name: 'x', empNo: '1' })
    await post(guard.fetch, '/v3/cc/seat/updateSeat', {
      keyId: 900,
      voiceGroupId: '77',
      name: 'x',
      empNo: '1',
    })
    await refused('/v3/cc/seat/batchingSeat', { type: 2, idList: [900, 901] })
    await post(guard.fetch, '/v3/cc/seat/batchingSeat', { type: 2, idList: [900] })
    expect(guard.ledger.seats.size).toBe(0)
    await expect(guard.fetch(`${BASE}/v3/cc/seatGroup/deleteGroup?voiceGroupId=5`)).rejects.toThrow(
      WriteRefusedError,
    )
    await guard.fetch(`${BASE}/v3/cc/seatGroup/deleteGroup?voiceGroupId=77`)
    // Deleted: gone from the live set, but deleting it again (to see -24) is allowed.
    expect([...guard.ledger.groups]).toEqual([])
    await guard.fetch(`${BASE}/v3/cc/seatGroup/deleteGroup?voiceGroupId=77`)
    expect(seen.filter((s) => !s.includes('/query'))).toEqual([
      'POST /api/v3/cc/seatGroup/addGroup',
      'POST /api/v3/cc/seatGroup/updateGroup',
      'POST /api/v3/cc/seat/addSeatList',
      'POST /api/v3/cc/seat/updateSeat',
      'POST /api/v3/cc/seat/batchingSeat',
      'GET /api/v3/cc/seatGroup/deleteGroup?voiceGroupId=77',
      'GET /api/v3/cc/seatGroup/deleteGroup?voiceGroupId=77',
    ])
  })

  it('with writes on, uploads only small files named after the run, and remembers where they went', async () => {
    const { inner, seen } = stub(() => ({
      status: 0,
      reason: 'success',
      data: { filePath: '/mnt/cc/1.xlsx', numberTotalCount: 1, numberSameCount: 0 },
    }))
    const guard = createWriteGuard({ inner, baseUrl: BASE, writes: true })
    const upload = (body: unknown) => post(guard.fetch, '/v3/cc/preview/upload', body)
    await expect(upload({ fileName: 'numbers.xlsx', file: 'UEsDBA==' })).rejects.toThrow(
      /start with lkit-ct-/,
    )
    await expect(
      upload({ fileName: `${RUN_PREFIX}big.xlsx`, file: 'A'.repeat(MAX_UPLOAD_BASE64 + 4) }),
    ).rejects.toThrow(/at most/)
    await expect(upload({ fileName: `${RUN_PREFIX}x.xlsx` })).rejects.toThrow(WriteRefusedError)
    expect(seen).toEqual([])
    await upload({ fileName: `${RUN_PREFIX}ok.xlsx`, file: 'UEsDBA==' })
    expect(seen).toEqual(['POST /api/v3/cc/preview/upload'])
    expect([...guard.ledger.files]).toEqual(['/mnt/cc/1.xlsx'])
    // Writes on or not, the file never goes on to a task: submitTask stays refused.
    await expect(
      post(guard.fetch, '/v3/cc/preview/submitTask', { filePath: '/mnt/cc/1.xlsx' }),
    ).rejects.toThrow(/never submits, resends, edits or cancels a task/)
  })
})

describe('sweepRun', () => {
  it("deletes a run's group and its seats, even when the id was never read back", async () => {
    const now = 1739160000
    const app = createMockApp({ now, logger: silentLogger })
    const account = (await (
      await app.request('/__admin/accounts', { method: 'POST', body: '{"tasks":10}' })
    ).json()) as {
      apiKey: string
      apiSecret: string
      apps: string[]
    }
    const guard = createWriteGuard({
      inner: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
      baseUrl: 'http://mock.local',
      writes: true,
    })
    const client = createLaafficClient({
      apiKey: account.apiKey,
      apiSecret: account.apiSecret,
      baseUrl: 'http://mock.local',
      fetch: guard.fetch,
      now: () => now * 1000,
      maxRetries: 0,
    })
    const groupName = `${RUN_PREFIX}sweep`
    await client.seatGroups.add({ appId: account.apps[0]!, groupName })
    const [group] = (await client.seatGroups.query({ current: 1, size: 10, params: { groupName } })).records
    await client.seats.addList({ voiceGroupId: group!.voiceGroupId, size: 3 })
    // A run that died here: a fresh ledger knowing only the name must still clean up everything.
    guard.ledger.groups.clear()
    guard.ledger.seats.clear()
    expect(await sweepRun(client, guard.ledger, seatWindow(now * 1000))).toEqual([])
    expect((await client.seatGroups.query({ current: 1, size: 10, params: { groupName } })).total).toBe(0)
    expect((await client.seats.query({ current: 1, size: 100, params: seatWindow(now * 1000) })).total).toBe(
      48,
    )
  })
})
