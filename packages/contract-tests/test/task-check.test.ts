import { describe, expect, it } from 'vitest'
import { expectationOf, observeTaskWrite, type TaskExpectation, taskProblems } from '../src/task-check.js'
import type { Task } from '../src/world-check.js'

// The world check's task half, on hand-made records: each invariant must catch its own breach,
// or the fuzzing that relies on it proves nothing.
const task = (patch: Partial<Task> = {}): Task => ({
  taskId: 7,
  taskStatus: 11,
  taskType: 1,
  finishFlag: 0,
  totalCount: 4,
  remainCount: 2,
  callFinishCount: 2,
  completedRate: 50,
  transfersNum: 1,
  callFailuresNum: 1,
  numberTotalCount: '5',
  numberSameCount: '1',
  fileName: 'lkit-ct-a.xls',
  filePath: '/mnt/cc/upload/a.xls',
  voiceGroupId: [1000001],
  appId: '1000009',
  calloutRate: 2,
  remark: 'r',
  ccode: '63',
  displayNum: 'abc1',
  createTime: '2025-02-10 12:00:00',
  ...patch,
})

describe('taskProblems', () => {
  it('passes consistent records: calling, submitting (nothing dialled yet) and completed', () => {
    const submitting = task({
      taskId: 8,
      taskStatus: 16,
      remainCount: 4,
      callFinishCount: null,
      transfersNum: 0,
      callFailuresNum: 0,
      completedRate: 0,
    })
    const done = task({
      taskId: 9,
      taskStatus: 12,
      finishFlag: 1,
      remainCount: 0,
      callFinishCount: 4,
      completedRate: 100,
    })
    expect(taskProblems([task(), submitting, done], new Map())).toEqual([])
  })

  it.each([
    ['remainCount + callFinishCount ≠ totalCount', { remainCount: 3 }, /≠ totalCount/],
    ['finishFlag 1 while calling', { finishFlag: 1 }, /finishFlag 1/],
    ['completed with work left', { taskStatus: 12, finishFlag: 1, completedRate: 100 }, /completed with/],
    [
      'completed below 100 %',
      { taskStatus: 12, finishFlag: 1, remainCount: 0, callFinishCount: 4 },
      /completedRate 50/,
    ],
    ['completedRate out of range', { completedRate: 101 }, /completedRate 101/],
    ['more outcomes than calls', { transfersNum: 2 }, /> callFinishCount/],
    ['numberTotalCount off', { numberTotalCount: '6' }, /numberTotalCount 6/],
  ] as const)('catches %s', (_name, patch, message) => {
    expect(taskProblems([task(patch)], new Map()).join('\n')).toMatch(message)
  })

  it('catches a task listed twice', () => {
    expect(taskProblems([task(), task()], new Map())).toEqual(['task 7 is listed twice'])
  })

  it('holds API-created tasks to their submission, edits and source file', () => {
    const created = new Map<number, TaskExpectation>()
    const submit = {
      filePath: '/mnt/cc/upload/a.xls',
      fileName: 'lkit-ct-a.xls',
      type: 1,
      voiceGroupId: [1000001],
      appId: '1000009',
      calloutRate: 3,
      remark: 'r',
      ccode: '63',
      displayNum: 'abc1',
    }
    observeTaskWrite(
      created,
      'submitPreviewTask',
      JSON.stringify(submit),
      { status: 0, data: 7 },
      '2025-02-10 12:00:00',
    )
    // Failures and other operations teach nothing.
    observeTaskWrite(created, 'submitPreviewTask', JSON.stringify(submit), { status: -22, data: null }, 'x')
    observeTaskWrite(created, 'addSeats', '{}', { status: 0, data: 99 }, 'x')
    expect([...created.keys()]).toEqual([7])
    // calloutRate 3 submitted, 2 listed: caught; an edit to 2 makes it right.
    expect(taskProblems([task()], created)).toEqual(['task 7 (submitPreviewTask): calloutRate 2, expected 3'])
    observeTaskWrite(created, 'editPreviewTask', '{"taskId":"7","calloutRate":2}', { status: '0' }, 'x')
    expect(taskProblems([task()], created)).toEqual([])
    expect(taskProblems([task({ remark: null })], created).join()).toMatch(/remark null, expected "r"/)
    expect(taskProblems([], created)).toEqual(['task 7 (submitPreviewTask) is not listed'])

    // A resend shows its source's file, no repeats.
    const resend = expectationOf(
      'resendPreviewTask',
      { taskId: 7, resendType: 3, type: 0 },
      '2025-02-10 12:00:00',
    )
    created.set(8, resend)
    const copy = task({
      taskId: 8,
      taskType: 0,
      voiceGroupId: [],
      remark: null,
      ccode: null,
      displayNum: null,
      numberTotalCount: '4',
      numberSameCount: '0',
    })
    expect(taskProblems([task(), copy], created)).toEqual([])
    expect(taskProblems([task(), { ...copy, filePath: '/elsewhere.xls' }], created).join()).toMatch(
      /not its source task 7's/,
    )
  })
})
