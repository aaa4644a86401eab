import type { TaskRecord } from '../../dataset.js'
import { formatWallClock } from '../../time.js'

export const SUBMITTING = 16
export const CALLING = 11
export const COMPLETED = 12
export const CANCELLED = 14

/**
 * A task created through the API (submitTask, resendTask). Its progress is a pure function of
 * the clock and of the writes applied to it, so two replicas that applied the same writes show
 * the same task at the same mock time, and moving the clock back shows it as it was then:
 * - 16 submitting from `createTime` until `startAt`;
 * - 11 calling: `done0 + floor((t - t0) · rate / 60)` numbers dialled, at most `totalCount`;
 * - 12 completed once all are dialled; 14 from a cancel on (progress frozen at the cancel).
 * An edit re-anchors (t0, done0) at its time with the new rate.
 */
export interface RuntimeTask {
  readonly taskId: number
  /** Unix seconds. */
  readonly createTime: number
  readonly type: 0 | 1
  readonly groups: readonly number[]
  /** Interned group set (runtime index key part). */
  readonly groupSet: number
  readonly seatGroupName: string
  readonly appId: string
  calloutRate: number
  remark: string | null
  readonly ccode: string | null
  readonly codeName: string | null
  readonly displayNum: string | null
  readonly fileName: string
  readonly filePath: string
  /** The file's rows and repeats (preview/query prints them as strings). */
  readonly numberTotalCount: number
  readonly numberSameCount: number
  /** Unique numbers: what the task dials. */
  readonly totalCount: number
  readonly startAt: number
  /** Numbers per minute; 0 stalls. */
  rate: number
  t0: number
  done0: number
  /** Set by a cancel: progress stays `done0`. */
  cancelledAt: number | undefined
  /** Shares of dialled numbers that fail and (group call) are transferred to a seat, per mille. */
  readonly failPermille: number
  readonly transferPermille: number
  /** The status the index holds, brought up to the clock by the owner. */
  status: number
  /** When `status` next changes by itself (Infinity: never). */
  due: number
}

/** Numbers dialled by time `t`. */
export function dialledAt(task: RuntimeTask, t: number): number {
  if (task.cancelledAt !== undefined) return task.done0
  if (t < task.startAt) return 0
  if (t <= task.t0 || task.rate === 0) return task.done0
  return Math.min(task.totalCount, task.done0 + Math.floor(((t - task.t0) * task.rate) / 60))
}

/** First second at which every number is dialled (Infinity when stalled). */
export function completesAt(task: RuntimeTask): number {
  if (task.done0 >= task.totalCount) return task.t0
  if (task.rate === 0) return Number.POSITIVE_INFINITY
  return task.t0 + Math.ceil(((task.totalCount - task.done0) * 60) / task.rate)
}

export function statusAt(task: RuntimeTask, t: number): number {
  if (task.cancelledAt !== undefined) return CANCELLED
  if (t < task.startAt) return SUBMITTING
  return t >= completesAt(task) ? COMPLETED : CALLING
}

/** When the status seen at `t` changes next by the clock alone. */
export function nextChange(task: RuntimeTask, t: number): number {
  const s = statusAt(task, t)
  if (s === SUBMITTING) return task.startAt
  if (s === CALLING) return completesAt(task)
  return Number.POSITIVE_INFINITY
}

export function finishFlagOf(status: number): 0 | 1 {
  return status === COMPLETED ? 1 : 0
}

export interface Outcomes {
  dialled: number
  failed: number
  transferred: number
}

/** Outcomes of the first `dialled` numbers: fixed shares per task, so counts only grow. */
export function outcomesAt(task: RuntimeTask, t: number): Outcomes {
  const dialled = dialledAt(task, t)
  const failed = Math.floor((dialled * task.failPermille) / 1000)
  const transferred = task.type === 1 ? Math.floor((dialled * task.transferPermille) / 1000) : 0
  return { dialled, failed, transferred }
}

/** The 25-field preview/query record at mock time `t`, createTime in the given zone. */
export function runtimeRecord(task: RuntimeTask, t: number, utcOffsetMinutes: number): TaskRecord {
  const status = statusAt(task, t)
  const { dialled, failed, transferred } = outcomesAt(task, t)
  const completed = status === COMPLETED
  return {
    taskId: task.taskId,
    voiceGroupId: [...task.groups],
    seatGroupName: task.seatGroupName,
    createTime: formatWallClock(task.createTime, utcOffsetMinutes),
    remainCount: task.totalCount - dialled,
    totalCount: task.totalCount,
    remark: task.remark,
    ccode: task.ccode,
    codeName: task.codeName,
    taskStatus: status as TaskRecord['taskStatus'],
    taskType: task.type,
    finishFlag: finishFlagOf(status),
    completedRate: completed ? 100 : Math.round((dialled / task.totalCount) * 10000) / 100,
    groupTaskId: task.taskId + 3019,
    transfersNum: transferred,
    callFailuresNum: failed,
    callingNumber: task.displayNum,
    displayNum: task.displayNum,
    numberTotalCount: String(task.numberTotalCount),
    callFinishCount: status === SUBMITTING ? null : dialled,
    numberSameCount: String(task.numberSameCount),
    appId: task.appId,
    calloutRate: task.calloutRate,
    fileName: task.fileName,
    filePath: task.filePath,
  }
}
