import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createMockApp, type MockEnv, mockState } from '../src/app.js'
import type { TaskRecord } from '../src/dataset.js'
import { writeNumberFile } from '../src/number-files/index.js'
import { call, NOW, signed, validator } from './helpers.js'

const UPLOAD = '/v3/cc/preview/upload'
const SUBMIT = '/v3/cc/preview/submitTask'
const EDIT = '/v3/cc/preview/agent/editTask'
const CANCEL = '/v3/cc/preview/agent/cancelTask'
const RESEND = '/v3/cc/preview/resendTask'
const QUERY = '/v3/cc/preview/query'
const BATCH = '/v3/cc/seat/batchingSeat'

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
/** 12 rows, 2 repeats: 10 unique numbers. */
const NUMBERS = Array.from({ length: 10 }, (_, i) => `86138000000${String(i).padStart(2, '0')}`)
const ROWS = [...NUMBERS, NUMBERS[0] as string, NUMBERS[3] as string]

type App = Hono<MockEnv>

function fresh(extra = {}): App {
  return createMockApp({ now: NOW, logLevel: 'silent', ...extra })
}

const clockOf = (app: App) => mockState(app).clock
const at = (app: App) => signed(clockOf(app).now())
const setNow = (app: App, now: number) => clockOf(app).set({ now })

async function upload(app: App, rows = ROWS): Promise<string> {
  const res = await call(
    app,
    UPLOAD,
    { fileName: 'numbers.xls', file: b64(writeNumberFile(rows, { format: 'xls', header: '号码' })) },
    at(app),
  )
  expect(res.status, res.reason).toBe(0)
  return (res.data as { filePath: string }).filePath
}

async function submit(app: App, body: Record<string, unknown>) {
  return call(app, SUBMIT, body, at(app))
}

async function taskById(app: App, taskId: number): Promise<TaskRecord> {
  const res = await call(app, QUERY, { current: 1, size: 10, params: { taskId: String(taskId) } }, at(app))
  expect(res.status, res.reason).toBe(0)
  expect(validator.errors('QueryResponse', res)).toEqual([])
  const records = (res.data as { records: TaskRecord[] }).records
  expect(records).toHaveLength(1)
  return records[0] as TaskRecord
}

function expectConsistent(r: TaskRecord) {
  expect((r.remainCount as number) + ((r.callFinishCount as number | null) ?? 0)).toBe(r.totalCount)
  expect(r.finishFlag).toBe(r.taskStatus === 12 ? 1 : 0)
  expect((r.transfersNum as number) + (r.callFailuresNum as number)).toBeLessThanOrEqual(
    (r.callFinishCount as number | null) ?? 0,
  )
}

describe('agent tasks on the mock clock', () => {
  it('submitTask creates a task that preview/query shows consistently, then runs 16 → 11 → 12', async () => {
    const app = fresh()
    const filePath = await upload(app)
    const res = await submit(app, {
      filePath,
      fileName: 'numbers.xls',
      type: 0,
      remark: '回访 batch',
      ccode: '86',
      displayNum: '8613900000000',
      maxRingingTime: 30,
    })
    expect(res.status, res.reason).toBe(0)
    expect(validator.errors('SubmitPreviewTaskResponse', res)).toEqual([])
    // The caller number is a phone field: the journal keeps its last 4 digits only.
    const journal = await (await app.request('/__admin/requests')).text()
    expect(journal).toContain('submitTask')
    expect(journal).not.toContain('8613900000000')
    const taskId = res.data as number
    expect(taskId).toBeGreaterThan(0)

    const r = await taskById(app, taskId)
    expect(r).toMatchObject({
      taskId,
      taskStatus: 16,
      taskType: 0,
      finishFlag: 0,
      fileName: 'numbers.xls',
      filePath,
      numberTotalCount: '12',
      numberSameCount: '2',
      totalCount: 10,
      remainCount: 10,
      callFinishCount: null,
      remark: '回访 batch',
      ccode: '86',
      codeName: '中国',
      displayNum: '8613900000000',
      callingNumber: '8613900000000',
      appId: '1000009',
      voiceGroupId: [],
      completedRate: 0,
      // NOW is 2021-09-01 04:00:00 UTC: 12:00 at the default UTC+8.
      createTime: '2021-09-01 12:00:00',
    })

    setNow(app, NOW + 30)
    const calling = await taskById(app, taskId)
    expect(calling.taskStatus).toBe(11)
    expect(calling.callFinishCount).toBe(0)
    expectConsistent(calling)

    // 10 numbers a minute by default: 6 s a number.
    setNow(app, NOW + 30 + 36)
    const half = await taskById(app, taskId)
    expect(half).toMatchObject({ taskStatus: 11, callFinishCount: 6, remainCount: 4, completedRate: 60 })
    expectConsistent(half)

    setNow(app, NOW + 3600)
    const done = await taskById(app, taskId)
    expect(done).toMatchObject({
      taskStatus: 12,
      finishFlag: 1,
      completedRate: 100,
      remainCount: 0,
      callFinishCount: 10,
    })
    expectConsistent(done)
    // Same seed and task: the same outcomes.
    const twin = fresh()
    const twinPath = await upload(twin)
    const twinId = (await submit(twin, { filePath: twinPath, fileName: 'numbers.xls', type: 0 }))
      .data as number
    expect(twinId).toBe(taskId)
    setNow(twin, NOW + 3600)
    const twinDone = await taskById(twin, twinId)
    expect([twinDone.callFailuresNum, twinDone.transfersNum]).toEqual([
      done.callFailuresNum,
      done.transfersNum,
    ])
  })

  it('a group call dials at calloutRate × enabled seats × seatDialRate and shows its group', async () => {
    const app = fresh()
    const world = mockState(app).world
    const group = [...world.groups.values()].find(
      (g) => g.appId === '1000009' && world.enabledSeats(g.voiceGroupId) > 0,
    )
    if (!group) throw new Error('no group with enabled seats')
    const seats = world.enabledSeats(group.voiceGroupId)
    const filePath = await upload(app)
    const res = await submit(app, {
      filePath,
      fileName: 'numbers.xls',
      type: 1,
      voiceGroupId: [group.voiceGroupId],
      appId: '1000009',
      calloutRate: 1,
    })
    expect(res.status, res.reason).toBe(0)
    const taskId = res.data as number
    const r = await taskById(app, taskId)
    expect(r).toMatchObject({
      taskType: 1,
      voiceGroupId: [group.voiceGroupId],
      seatGroupName: group.groupName,
      calloutRate: 1,
    })
    // One minute of calling: 2 numbers per enabled seat.
    setNow(app, NOW + 30 + 60)
    expect((await taskById(app, taskId)).callFinishCount).toBe(Math.min(10, 2 * seats))
    // The group is in a calling task now: batchingSeat cannot delete its seats (-68).
    const seat = [...world.seats.values()].find(
      (s) => s.voiceGroupId === group.voiceGroupId && s.status !== 3,
    )
    if (seat && seats * 2 < 10) {
      expect((await call(app, BATCH, { type: 2, idList: [seat.keyId] }, at(app))).status).toBe(-68)
    }
    setNow(app, NOW + 3600)
    expect((await taskById(app, taskId)).taskStatus).toBe(12)
    if (seat) expect((await call(app, BATCH, { type: 2, idList: [seat.keyId] }, at(app))).status).toBe(0)
  })

  it('answers the documented submitTask failures', async () => {
    const app = fresh({ appsWithoutRate: ['1000015'], calloutRateMax: 3 })
    const world = mockState(app).world
    const filePath = await upload(app)
    const base = { filePath, fileName: 'numbers.xls' }
    const otherApp = [...world.groups.values()].find((g) => g.appId === '1000012')?.voiceGroupId
    const rateless = [...world.groups.values()].find((g) => g.appId === '1000015')?.voiceGroupId
    const cases: [Record<string, unknown>, number][] = [
      [{ ...base, type: 1, voiceGroupId: [otherApp], appId: '1000009', calloutRate: 1 }, -74],
      [{ ...base, type: 1, voiceGroupId: [rateless], appId: '1000015', calloutRate: 1 }, -77],
      [{ ...base, type: 1, appId: '1000009', calloutRate: 1 }, -22],
      [{ ...base, type: 1, voiceGroupId: [otherApp], calloutRate: 1 }, -22],
      [{ ...base, type: 1, voiceGroupId: [otherApp], appId: '1000012', calloutRate: 4 }, -22],
      [{ ...base, type: 1, voiceGroupId: [otherApp, rateless], appId: '1000012', calloutRate: 1 }, -22],
      [{ ...base, type: 0, appId: 'nope' }, -22],
      [{ ...base, type: 0, ccode: '999' }, -22],
      [{ ...base, type: 0, remark: 'x'.repeat(51) }, -22],
      [{ ...base, filePath: '/mnt/cc\\upload\\execl\\nothing.xls', type: 0 }, -22],
      [{ ...base, type: 2 }, -22],
    ]
    for (const [body, status] of cases) {
      const res = await submit(app, body)
      expect(res.status, `${JSON.stringify(body)} → ${res.reason}`).toBe(status)
      expect(res.data ?? null).toBeNull()
    }
    // One upload, submitted twice: two tasks.
    const a = await submit(app, { ...base, type: 0 })
    const b = await submit(app, { ...base, type: 0 })
    expect(b.data).toBe((a.data as number) + 1)
  })

  it('answers null data with --submit-task-data null, and -23 past --task-quota', async () => {
    const app = fresh({ submitTaskData: 'null', taskQuota: 1 })
    const filePath = await upload(app)
    const first = await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })
    expect(first).toMatchObject({ status: 0, data: null })
    expect((await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).status).toBe(-23)
  })

  it('editTask re-rates a calling task and keeps what it dialled; -36 over the cap, -41 once finished', async () => {
    const app = fresh()
    const world = mockState(app).world
    const group = [...world.groups.values()].find(
      (g) => g.appId === '1000009' && world.enabledSeats(g.voiceGroupId) === 1,
    )
    const filePath = await upload(
      app,
      Array.from({ length: 200 }, (_, i) => `8613900${String(i).padStart(4, '0')}`),
    )
    const taskId = (
      await submit(
        app,
        group
          ? {
              filePath,
              fileName: 'numbers.xls',
              type: 1,
              voiceGroupId: [group.voiceGroupId],
              appId: '1000009',
              calloutRate: 1,
            }
          : { filePath, fileName: 'numbers.xls', type: 0 },
      )
    ).data as number
    setNow(app, NOW + 30 + 60)
    const before = await taskById(app, taskId)
    const dialled = before.callFinishCount as number
    expect((await call(app, EDIT, { taskId, calloutRate: 11 }, at(app))).status).toBe(-36)
    expect((await call(app, EDIT, { taskId, remark: 'y'.repeat(51), calloutRate: 2 }, at(app))).status).toBe(
      -22,
    )
    const edited = await call(
      app,
      EDIT,
      { taskId: String(taskId), remark: 'faster', calloutRate: 2 },
      at(app),
    )
    expect(edited).toMatchObject({ status: 0, data: null })
    const after = await taskById(app, taskId)
    expect(after).toMatchObject({ remark: 'faster', calloutRate: 2, callFinishCount: dialled })
    setNow(app, NOW + 30 + 120)
    const later = (await taskById(app, taskId)).callFinishCount as number
    // A group call of one seat doubles its speed; an automatic call keeps its fixed rate.
    expect(later - dialled).toBe(group ? 4 : 10)
    setNow(app, NOW + 86_400)
    expect((await taskById(app, taskId)).taskStatus).toBe(12)
    const refused = await call(app, EDIT, { taskId, calloutRate: 1 }, at(app))
    expect(refused.status).toBe(-41)
    expect(refused.reason).toContain('completed')
    expect((await call(app, EDIT, { taskId: 999_999_999, calloutRate: 1 }, at(app))).status).toBe(-22)
    // An id past 2^53 is named as sent, not rounded.
    const huge = await call(app, EDIT, { taskId: '123456789012345678', calloutRate: 1 }, at(app))
    expect(huge.status).toBe(-22)
    expect(huge.reason).toContain('taskId 123456789012345678 does not exist')
  })

  it('cancelTask freezes a task at 14; a finished task cannot be cancelled; a generated one can', async () => {
    const app = fresh()
    const filePath = await upload(app)
    const taskId = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    setNow(app, NOW + 30 + 30)
    expect(await call(app, CANCEL, { taskId }, at(app))).toMatchObject({ status: 0, data: null })
    const cancelled = await taskById(app, taskId)
    expect(cancelled).toMatchObject({ taskStatus: 14, finishFlag: 0, callFinishCount: 5, remainCount: 5 })
    setNow(app, NOW + 3600)
    expect(await taskById(app, taskId)).toEqual(cancelled)
    expect((await call(app, CANCEL, { taskId }, at(app))).status).toBe(-41)

    // A generated calling task: cancelled, listed as 14, its group free for seat deletes.
    const world = mockState(app).world
    const calling = await call(app, QUERY, { current: 1, size: 1, params: { taskStatus: [11] } }, at(app))
    const gen = (calling.data as { records: TaskRecord[] }).records[0] as TaskRecord
    expect((await call(app, CANCEL, { taskId: gen.taskId }, at(app))).status).toBe(0)
    const after = await taskById(app, gen.taskId)
    expect(after).toMatchObject({ taskStatus: 14, finishFlag: 0, callFinishCount: gen.callFinishCount })
    const still = await call(app, QUERY, { current: 1, size: 100, params: { taskStatus: [11] } }, at(app))
    expect((still.data as { records: TaskRecord[] }).records.map((r) => r.taskId)).not.toContain(gen.taskId)
    const cancelledList = await call(
      app,
      QUERY,
      {
        current: 1,
        size: 100,
        params: {
          taskStatus: [14],
          startTime: gen.createTime.slice(0, 10),
          endTime: gen.createTime.slice(0, 10),
        },
      },
      at(app),
    )
    expect((cancelledList.data as { records: TaskRecord[] }).records.map((r) => r.taskId)).toContain(
      gen.taskId,
    )
    expect(
      world.agentTasks.generated.statusAt(
        world.agentTasks.find(gen.taskId)?.kind === 'generated'
          ? (world.agentTasks.find(gen.taskId) as { position: number }).position
          : -1,
      ),
    ).toBe(14)
  })

  it('resendTask: -41 until finished, -42 without numbers, then a new task of the failed / not called / all numbers', async () => {
    const app = fresh()
    const filePath = await upload(
      app,
      Array.from({ length: 100 }, (_, i) => `8613900${String(i).padStart(4, '0')}`),
    )
    const taskId = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    const resend = (body: Record<string, unknown>) => call(app, RESEND, { taskId, type: 0, ...body }, at(app))
    expect((await resend({ resendType: 3 })).status).toBe(-41)
    setNow(app, NOW + 86_400)
    const done = await taskById(app, taskId)
    expect(done.taskStatus).toBe(12)
    expect((await resend({ resendType: 2 })).status).toBe(-42)
    const failed = await resend({ resendType: 1, remark: 'retry failed' })
    expect(failed.status, failed.reason).toBe(0)
    const retry = await taskById(app, failed.data as number)
    expect(retry).toMatchObject({
      taskStatus: 16,
      totalCount: done.callFailuresNum,
      numberTotalCount: String(done.callFailuresNum),
      numberSameCount: '0',
      fileName: 'numbers.xls',
      filePath,
      remark: 'retry failed',
    })
    const all = await resend({ resendType: 3 })
    expect((await taskById(app, all.data as number)).totalCount).toBe(100)

    // A cancelled task's numbers not yet called.
    const second = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    setNow(app, NOW + 86_400 + 30 + 60)
    expect((await call(app, CANCEL, { taskId: second }, at(app))).status).toBe(0)
    const rest = await call(app, RESEND, { taskId: second, type: 0, resendType: 2 }, at(app))
    expect((await taskById(app, rest.data as number)).totalCount).toBe(90)
  })

  it('moving the clock back shows a runtime task as it was then; writes stay', async () => {
    const app = fresh()
    const filePath = await upload(app)
    const taskId = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    setNow(app, NOW + 3600)
    expect((await taskById(app, taskId)).taskStatus).toBe(12)
    setNow(app, NOW + 10)
    expect((await taskById(app, taskId)).taskStatus).toBe(16)
    setNow(app, NOW + 42)
    expect(await taskById(app, taskId)).toMatchObject({ taskStatus: 11, callFinishCount: 2 })
    const byStatus = await call(
      app,
      QUERY,
      { current: 1, size: 10, params: { taskStatus: [11], startTime: '2021-09-01', endTime: '2021-09-01' } },
      at(app),
    )
    expect((byStatus.data as { total: number }).total).toBe(1)
  })

  it('follows its options: start delay, dial rates, stalling, state rules, -77 and -74 on resend', async () => {
    const app = fresh({
      taskStartSeconds: 0,
      autoDialRate: 60,
      seatDialRate: 5,
      idleGroupDialing: 'stall',
      resendStatuses: [11],
      cancelStatuses: [16],
      appsWithoutRate: ['1000015'],
    })
    const world = mockState(app).world
    const filePath = await upload(app)
    const auto = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    // No submitting phase; 60 numbers a minute.
    expect((await taskById(app, auto)).taskStatus).toBe(11)
    setNow(app, NOW + 5)
    expect((await taskById(app, auto)).callFinishCount).toBe(5)
    // Cancelling is allowed only while submitting (16) with these rules: -41 names them.
    const refused = await call(app, CANCEL, { taskId: auto }, at(app))
    expect(refused.status).toBe(-41)
    expect(refused.reason).toContain('--cancel-statuses allows 16')
    // Resend while calling (11) is allowed here; a rateless application is -77, a foreign group -74.
    const foreign = [...world.groups.values()].find((g) => g.appId === '1000012')?.voiceGroupId
    const rateless = [...world.groups.values()].find((g) => g.appId === '1000015')?.voiceGroupId
    const base = { taskId: auto, resendType: 2, calloutRate: 1 }
    expect(
      (await call(app, RESEND, { ...base, type: 1, voiceGroupId: [rateless], appId: '1000015' }, at(app)))
        .status,
    ).toBe(-77)
    expect(
      (await call(app, RESEND, { ...base, type: 1, voiceGroupId: [foreign], appId: '1000009' }, at(app)))
        .status,
    ).toBe(-74)
    const resent = await call(app, RESEND, { ...base, type: 0 }, at(app))
    expect(resent.status, resent.reason).toBe(0)
    expect((await taskById(app, resent.data as number)).totalCount).toBe(5)

    // A group call over a group without enabled seats stalls with --idle-group-dialing stall.
    const empty = await call(
      app,
      '/v3/cc/seatGroup/addGroup',
      { appId: '1000009', groupName: 'lkit-empty' },
      at(app),
    )
    expect(empty.status).toBe(0)
    const group = world.groupNamed('1000009', 'lkit-empty')?.voiceGroupId
    const stalled = (
      await submit(app, {
        filePath,
        fileName: 'numbers.xls',
        type: 1,
        voiceGroupId: [group],
        appId: '1000009',
        calloutRate: 3,
      })
    ).data as number
    setNow(app, NOW + 86_400)
    expect(await taskById(app, stalled)).toMatchObject({
      taskStatus: 11,
      callFinishCount: 0,
      remainCount: 10,
    })
    // calloutRate 3 over a group with E enabled seats: E × 3 × 5 numbers a minute.
    const busy = [...world.groups.values()].find(
      (g) => g.appId === '1000009' && world.enabledSeats(g.voiceGroupId) > 0,
    )
    if (!busy) throw new Error('the generated world has a group with enabled seats')
    const seats = world.enabledSeats(busy.voiceGroupId)
    const fast = (
      await submit(app, {
        filePath,
        fileName: 'numbers.xls',
        type: 1,
        voiceGroupId: [busy.voiceGroupId],
        appId: '1000009',
        calloutRate: 3,
      })
    ).data as number
    setNow(app, NOW + 86_400 + 10)
    expect((await taskById(app, fast)).callFinishCount).toBe(
      Math.min(10, Math.floor((10 * seats * 3 * 5) / 60)),
    )
  })

  it('applies editTask and cancelTask to group calls only with --edit-cancel-types group-call', async () => {
    const app = fresh({ editCancelTypes: 'group-call' })
    const filePath = await upload(app)
    const auto = (await submit(app, { filePath, fileName: 'numbers.xls', type: 0 })).data as number
    const edit = await call(app, EDIT, { taskId: auto, calloutRate: 2 }, at(app))
    expect(edit.status).toBe(-22)
    expect(edit.reason).toContain('automatic call')
    expect((await call(app, CANCEL, { taskId: auto }, at(app))).status).toBe(-22)
    const group = [...mockState(app).world.groups.values()].find((g) => g.appId === '1000009')?.voiceGroupId
    const call1 = (
      await submit(app, {
        filePath,
        fileName: 'numbers.xls',
        type: 1,
        voiceGroupId: [group],
        appId: '1000009',
        calloutRate: 1,
      })
    ).data as number
    expect((await call(app, EDIT, { taskId: call1, calloutRate: 2 }, at(app))).status).toBe(0)
    expect((await call(app, CANCEL, { taskId: call1 }, at(app))).status).toBe(0)
  })

  it('generates group calls (type 1) with exactly one group, as submitTask requires', async () => {
    const app = createMockApp({ now: NOW, logLevel: 'silent', tasks: 2000 })
    const res = await call(app, QUERY, { current: 1, size: 100, params: { taskType: 1 } }, at(app))
    const records = (res.data as { records: TaskRecord[] }).records
    expect(records.length).toBe(100)
    for (const r of records) expect(r.voiceGroupId).toHaveLength(1)
    const auto = await call(app, QUERY, { current: 1, size: 100, params: { taskType: 0 } }, at(app))
    expect((auto.data as { records: TaskRecord[] }).records.some((r) => r.voiceGroupId.length > 1)).toBe(true)
  })

  it('decides what the vendor leaves open as the README says: unknown groups, an empty file, outcome shares', async () => {
    const app = fresh()
    const filePath = await upload(app)
    const base = { filePath, fileName: 'numbers.xls' }
    // An unknown group: -74 with an appId (not a group of it), missingIdStatus without.
    expect(
      (await submit(app, { ...base, type: 1, voiceGroupId: [999_999], appId: '1000009', calloutRate: 1 }))
        .status,
    ).toBe(-74)
    const unknown = await submit(app, { ...base, type: 0, voiceGroupId: [999_999] })
    expect(unknown.status).toBe(-22)
    expect(unknown.reason).toContain('voiceGroupId 999999 does not exist')
    // A file with a header and no number uploads, but there is nothing to dial.
    const empty = await upload(app, [])
    const none = await submit(app, { filePath: empty, fileName: 'numbers.xls', type: 0 })
    expect(none.status).toBe(-22)
    expect(none.reason).toContain('no numbers')
    // Outcome shares: 5-30 % of dialled numbers fail; 20-60 % of a group call's are transferred.
    const many = await upload(
      app,
      Array.from({ length: 1000 }, (_, i) => `8613700${String(i).padStart(4, '0')}`),
    )
    const group = [...mockState(app).world.groups.values()].find((g) => g.appId === '1000009')?.voiceGroupId
    const ids: number[] = []
    for (let i = 0; i < 10; i++) {
      const body =
        i % 2
          ? { filePath: many, fileName: 'numbers.xls', type: 0 }
          : {
              filePath: many,
              fileName: 'numbers.xls',
              type: 1,
              voiceGroupId: [group],
              appId: '1000009',
              calloutRate: 1,
            }
      ids.push((await submit(app, body)).data as number)
    }
    setNow(app, NOW + 30 * 86_400)
    for (const id of ids) {
      const r = await taskById(app, id)
      expect(r.taskStatus).toBe(12)
      expect(r.callFailuresNum / 1000).toBeGreaterThanOrEqual(0.05)
      expect(r.callFailuresNum / 1000).toBeLessThan(0.3)
      if (r.taskType === 1) {
        expect(r.transfersNum / 1000).toBeGreaterThanOrEqual(0.2)
        expect(r.transfersNum / 1000).toBeLessThan(0.6)
      } else expect(r.transfersNum).toBe(0)
    }
  })
})
