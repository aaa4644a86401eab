import {
  LaafficApiError,
  type LaafficClient,
  LaafficHttpError,
  ParameterError,
  type TaskRecord,
} from '@laaffic-kit/client'
import type { OperationId } from '@laaffic-kit/protocol'
import type { SpecValidator } from '@laaffic-kit/spec'
import { expect } from 'vitest'
import { LIFECYCLE_COUNTS, numberFiles } from './number-files.js'
import { operation, seatWindow, wallClock } from './operations.js'
import { MOCK_APP_WITHOUT_RATE, MOCK_NOW_SECONDS, MOCK_TASK_QUOTA, type Target } from './targets.js'
import { taskProblems } from './task-check.js'
import type { Task } from './world-check.js'
import { RUN_PREFIX } from './write-guard.js'

/** Every operation × status cell the walk proves (the matrix credits the walk with each). */
export const LIFECYCLE_CELLS: ReadonlyArray<{ operation: OperationId; status: number }> = [
  ...(
    [
      ['addSeatGroup', 0],
      ['addSeats', 0],
      ['uploadPreviewFile', 0],
      ['submitPreviewTask', 0],
      ['submitPreviewTask', -22],
      ['submitPreviewTask', -23],
      ['submitPreviewTask', -74],
      ['submitPreviewTask', -77],
      ['editPreviewTask', 0],
      ['editPreviewTask', -22],
      ['editPreviewTask', -36],
      ['editPreviewTask', -41],
      ['cancelPreviewTask', 0],
      ['cancelPreviewTask', -22],
      ['cancelPreviewTask', -41],
      ['resendPreviewTask', 0],
      ['resendPreviewTask', -22],
      ['resendPreviewTask', -23],
      ['resendPreviewTask', -41],
      ['resendPreviewTask', -42],
      ['resendPreviewTask', -74],
      ['resendPreviewTask', -77],
    ] as const
  ).map(([operation, status]) => ({ operation, status })),
]

/** The unique numbers of the walk's file (42 rows, two repeated): what a task over it dials. */
const UNIQUE = LIFECYCLE_COUNTS.unique

export interface LifecycleContext {
  /** The target as one admin-created account sees it (a mock target: it has `admin`). */
  target: Target
  /** A client of that account signing with `now` (the walk moves the mock's clock). */
  client: (now: () => number) => LaafficClient
  validator: SpecValidator
  /** A unique suffix for the group's name. */
  runId: string
}

/** Sets the mock's clock (`PUT /__admin/clock`, frozen) to these Unix seconds. */
async function setClock(target: Target, seconds: number): Promise<void> {
  const admin = target.admin
  if (!admin) throw new Error(`${target.name} has no admin API`)
  const res = await admin.fetch(new URL('/__admin/clock', admin.baseUrl), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ now: seconds }),
  })
  expect(res.status, await res.clone().text()).toBe(200)
  expect(((await res.json()) as { now: number }).now).toBe(seconds)
}

/** The in-band refusal `fn` ends in: its class, operation, code and that operation's meaning. */
async function refused(id: OperationId, code: number, fn: () => Promise<unknown>): Promise<LaafficApiError> {
  let error: unknown
  try {
    await fn()
  } catch (e) {
    error = e
  }
  expect(error, `${id} should answer ${code}`).toBeInstanceOf(LaafficApiError)
  expect(error).toMatchObject({
    code,
    operation: id,
    meaning: operation(id).statuses.find((s) => s.code === code)?.meaning,
  })
  return error as LaafficApiError
}

/**
 * A request the spec itself rejects: Prism's 422 on the gate (its request validation, draft-07:
 * patterns, the type-1 if/then), the mock's in-band -22 naming `field` everywhere else.
 */
async function rejectedBySpec(target: Target, id: OperationId, field: string, fn: () => Promise<unknown>) {
  let error: unknown
  try {
    await fn()
  } catch (e) {
    error = e
  }
  if (target.specGate) {
    expect(error, `${id}: Prism should refuse it`).toBeInstanceOf(LaafficHttpError)
    expect((error as LaafficHttpError).httpStatus).toBe(422)
    return
  }
  expect(error, `${id}: -22 naming ${field}`).toBeInstanceOf(ParameterError)
  expect((error as ParameterError).operation).toBe(id)
  expect((error as ParameterError).reason).toContain(field)
}

/**
 * The agent-task lifecycle on a mock target, in one account of its own: seat group → two seats
 * → upload → submit (type 1 on that group, and type 0) → query by taskId (every field as
 * submitted, the file's counts, createTime from the mock clock) → the clock moved through the
 * admin API: 16 → 11 → part dialled → 12 (finishFlag 1, completedRate 100, remainCount 0) →
 * resend (failed, not called, all) → cancel (14) → edit and cancel refused on a finished task
 * (-41); every documented failure code of the four writes the mock produces along the way
 * (-22, -23, -36, -41, -42, -74, -77). The clock is frozen where it was found afterwards.
 */
export async function walkTaskLifecycle(ctx: LifecycleContext): Promise<void> {
  const { target: t, validator } = ctx
  let clock = MOCK_NOW_SECONDS
  const client = ctx.client(() => clock * 1000)
  const at = async (seconds: number) => {
    clock = seconds
    await setClock(t, seconds)
  }
  const appId = t.appId
  if (!appId) throw new Error('the account has no voice application')
  const otherApp = '1000012'
  expect([appId, MOCK_APP_WITHOUT_RATE]).not.toContain(otherApp)
  try {
    const T0 = MOCK_NOW_SECONDS
    await at(T0)

    // Seat group → seats → upload.
    const groupName = `${RUN_PREFIX}${ctx.runId}-tasks`
    expect(await client.seatGroups.add({ appId, groupName })).toBeNull()
    const group = (
      await client.seatGroups.query({ current: 1, size: 10, params: { groupName } })
    ).records.find((g) => g.groupName === groupName)
    expect(group, 'the new group').toBeDefined()
    const voiceGroupId = group!.voiceGroupId
    expect(await client.seats.addList({ voiceGroupId, size: 2 })).toHaveLength(2)
    const seats = await client.seats.query({
      current: 1,
      size: 10,
      params: { ...seatWindow(clock * 1000), voiceGroupId },
    })
    expect(seats.records.map((s) => s.enable)).toEqual([0, 0])
    const fileName = `${RUN_PREFIX}${ctx.runId}.xls`
    const file = await client.previewFiles.upload({ fileName, file: numberFiles().lifecycle })
    expect(file).toMatchObject({
      numberTotalCount: LIFECYCLE_COUNTS.numberTotalCount,
      numberSameCount: LIFECYCLE_COUNTS.numberSameCount,
    })
    const { filePath } = file

    // Submit: a group call on that group, and an automatic call.
    const groupCall = {
      filePath,
      fileName,
      type: 1 as const,
      voiceGroupId: [voiceGroupId],
      appId,
      calloutRate: 2,
      remark: 'lkit-ct group call',
      ccode: '63',
      displayNum: 'lkitct01',
      maxRingingTime: 30,
    }
    const groupTask = await client.previewTasks.submit(groupCall)
    expect(typeof groupTask, 'submitTask answers the new task id').toBe('number')
    const autoTask = await client.previewTasks.submit({ filePath, fileName, type: 0 })
    expect(typeof autoTask).toBe('number')
    expect(autoTask).not.toBe(groupTask)
    const byId = async (taskId: number): Promise<TaskRecord> => {
      const page = await client.previewTasks.query({
        current: 1,
        size: 10,
        params: { taskId: String(taskId) },
      })
      expect(validator.errors('TaskPage', page)).toEqual([])
      expect(
        page.records.map((r) => r.taskId),
        `query by taskId ${taskId}`,
      ).toEqual([taskId])
      expect(taskProblems([page.records[0] as Task], new Map())).toEqual([])
      return page.records[0]!
    }

    // Query by taskId: every field as submitted, the file's counts, the mock clock's createTime.
    const submitted = await byId(groupTask!)
    expect(submitted).toMatchObject({
      taskId: groupTask,
      taskStatus: 16,
      taskType: 1,
      finishFlag: 0,
      fileName,
      filePath,
      numberTotalCount: String(LIFECYCLE_COUNTS.numberTotalCount),
      numberSameCount: String(LIFECYCLE_COUNTS.numberSameCount),
      totalCount: UNIQUE,
      remainCount: UNIQUE,
      callFinishCount: null,
      completedRate: 0,
      voiceGroupId: [voiceGroupId],
      seatGroupName: groupName,
      appId,
      calloutRate: 2,
      remark: groupCall.remark,
      ccode: '63',
      displayNum: groupCall.displayNum,
      callingNumber: groupCall.displayNum,
      createTime: wallClock(T0 * 1000),
    })
    expect(typeof submitted.codeName === 'string' && submitted.codeName !== '', 'codeName of ccode 63').toBe(
      true,
    )
    expect(await byId(autoTask!)).toMatchObject({
      taskStatus: 16,
      taskType: 0,
      fileName,
      filePath,
      totalCount: UNIQUE,
      voiceGroupId: [],
      appId,
      remark: null,
      ccode: null,
      displayNum: null,
      createTime: wallClock(T0 * 1000),
    })
    // The new tasks are in the account's list too, and under a status filter.
    const submitting = await client.previewTasks.query({
      current: 1,
      size: 100,
      params: { taskStatus: [16] },
    })
    expect(submitting.records.map((r) => r.taskId)).toEqual(expect.arrayContaining([groupTask, autoTask]))

    // Submit refusals the mock produces on its own.
    await refused('submitPreviewTask', -74, () =>
      client.previewTasks.submit({ ...groupCall, appId: otherApp }),
    )
    await refused('submitPreviewTask', -77, () =>
      client.previewTasks.submit({ filePath, fileName, type: 0, appId: MOCK_APP_WITHOUT_RATE }),
    )
    for (const [field, body] of [
      ['filePath', { filePath: `${filePath}-not-uploaded`, fileName, type: 0 }],
      ['calloutRate', { ...groupCall, calloutRate: 11 }],
      ['ccode', { ...groupCall, ccode: '9999' }],
    ] as const) {
      const error = await refused('submitPreviewTask', -22, () => client.previewTasks.submit(body))
      expect(error.reason, `-22 names ${field}`).toContain(field)
    }
    // What the spec's schema rejects (Prism 422 on the gate, -22 from the mock elsewhere).
    const { appId: _dropped, ...withoutApp } = groupCall
    await rejectedBySpec(t, 'submitPreviewTask', 'appId', () =>
      client.previewTasks.submit(withoutApp as never),
    )
    await rejectedBySpec(t, 'submitPreviewTask', 'displayNum', () =>
      client.previewTasks.submit({ ...groupCall, displayNum: '+63 917' }),
    )

    // Edit, cancel and resend before the task has finished.
    await refused('resendPreviewTask', -41, () =>
      client.previewTasks.resend({ taskId: autoTask!, resendType: 3, type: 0 }),
    )
    await refused('editPreviewTask', -22, () =>
      client.previewTasks.edit({ taskId: 987654321, calloutRate: 1 }),
    )
    await refused('cancelPreviewTask', -22, () => client.previewTasks.cancel({ taskId: 987654321 }))
    await refused('resendPreviewTask', -22, () =>
      client.previewTasks.resend({ taskId: 987654321, resendType: 3, type: 0 }),
    )
    await rejectedBySpec(t, 'editPreviewTask', 'remark', () =>
      client.previewTasks.edit({ taskId: groupTask!, calloutRate: 1, remark: 'x'.repeat(51) }),
    )

    // The clock moves; the tasks call.
    await at(T0 + 30)
    const calling = await byId(groupTask!)
    expect(calling).toMatchObject({ taskStatus: 11, callFinishCount: 0, remainCount: UNIQUE, finishFlag: 0 })
    expect(await byId(autoTask!)).toMatchObject({ taskStatus: 11, callFinishCount: 0 })
    await refused('editPreviewTask', -36, () =>
      client.previewTasks.edit({ taskId: groupTask!, calloutRate: 11 }),
    )
    // 15 s of calling: 2 enabled seats × calloutRate 2 × 2 a minute = 8 a minute, 10 a minute for
    // the automatic call (the mock's defaults): two numbers each.
    await at(T0 + 45)
    expect(await byId(groupTask!)).toMatchObject({
      taskStatus: 11,
      callFinishCount: 2,
      remainCount: UNIQUE - 2,
    })
    expect(await byId(autoTask!)).toMatchObject({ taskStatus: 11, callFinishCount: 2, completedRate: 5 })
    expect(
      await client.previewTasks.edit({ taskId: String(groupTask), calloutRate: 1, remark: 'lkit-ct edited' }),
    ).toBeNull()
    expect(await byId(groupTask!)).toMatchObject({
      calloutRate: 1,
      remark: 'lkit-ct edited',
      callFinishCount: 2,
    })

    // An hour later both have completed; waitFor sees it on its first poll (nothing sleeps).
    await at(T0 + 3600)
    const signal = AbortSignal.timeout(20_000)
    for (const taskId of [groupTask!, autoTask!]) {
      const done = await client.previewTasks.waitFor(taskId, { until: 12, signal, pollMs: 50 })
      expect(done).toMatchObject({
        taskStatus: 12,
        finishFlag: 1,
        completedRate: 100,
        remainCount: 0,
        callFinishCount: UNIQUE,
      })
      expect(await byId(taskId)).toEqual(done)
    }
    const done = await byId(groupTask!)
    const failed = done.callFailuresNum ?? 0

    // Resend: failed numbers, numbers not called (none left: -42), all of them.
    await refused('resendPreviewTask', -42, () =>
      client.previewTasks.resend({ taskId: groupTask!, resendType: 2, type: 0 }),
    )
    // 40 numbers at the mock's 5–30 % failures: some failed (fixed per seed and task).
    expect(failed, 'failed numbers of the completed group call').toBeGreaterThan(0)
    const again = await client.previewTasks.resend({ taskId: groupTask!, resendType: 1, type: 0 })
    expect(await byId(again!)).toMatchObject({
      taskStatus: 16,
      taskType: 0,
      totalCount: failed,
      remainCount: failed,
      numberTotalCount: String(failed),
      numberSameCount: '0',
      fileName,
      filePath,
    })
    const resent: number[] = [again!]
    await refused('resendPreviewTask', -74, () =>
      client.previewTasks.resend({
        taskId: groupTask!,
        resendType: 3,
        type: 1,
        voiceGroupId: [voiceGroupId],
        appId: otherApp,
        calloutRate: 1,
      }),
    )
    await refused('resendPreviewTask', -77, () =>
      client.previewTasks.resend({
        taskId: groupTask!,
        resendType: 3,
        type: 0,
        appId: MOCK_APP_WITHOUT_RATE,
      }),
    )
    const all = await client.previewTasks.resend({
      taskId: groupTask!,
      resendType: 3,
      type: 1,
      voiceGroupId: [voiceGroupId],
      appId,
      calloutRate: 1,
      remark: 'lkit-ct resend',
    })
    resent.push(all!)
    expect(await byId(all!)).toMatchObject({
      taskStatus: 16,
      taskType: 1,
      totalCount: UNIQUE,
      remainCount: UNIQUE,
      numberTotalCount: String(UNIQUE),
      numberSameCount: '0',
      fileName,
      filePath,
      voiceGroupId: [voiceGroupId],
      remark: 'lkit-ct resend',
      createTime: wallClock((T0 + 3600) * 1000),
    })

    // Cancel the resent task: 14, frozen; again, or a finished task: -41; edit a finished one: -41.
    expect(await client.previewTasks.cancel({ taskId: all! })).toBeNull()
    const cancelled = await byId(all!)
    expect(cancelled).toMatchObject({ taskStatus: 14, finishFlag: 0 })
    await at(T0 + 7200)
    expect(await byId(all!)).toEqual(cancelled)
    await refused('cancelPreviewTask', -41, () => client.previewTasks.cancel({ taskId: all! }))
    await refused('cancelPreviewTask', -41, () => client.previewTasks.cancel({ taskId: groupTask! }))
    const edit = await refused('editPreviewTask', -41, () =>
      client.previewTasks.edit({ taskId: groupTask!, calloutRate: 1 }),
    )
    expect(edit.reason).toContain('completed')

    // The account's quota of API-created tasks (the targets' --task-quota): then -23 for both.
    const made = 2 + resent.length
    for (let n = made; n < MOCK_TASK_QUOTA; n++)
      expect(typeof (await client.previewTasks.submit({ filePath, fileName, type: 0 }))).toBe('number')
    await refused('submitPreviewTask', -23, () => client.previewTasks.submit({ filePath, fileName, type: 0 }))
    await refused('resendPreviewTask', -23, () =>
      client.previewTasks.resend({ taskId: groupTask!, resendType: 3, type: 0 }),
    )
  } finally {
    // Other cases sign with the frozen start time: put the clock back whatever happened.
    await setClock(t, MOCK_NOW_SECONDS)
  }
}
