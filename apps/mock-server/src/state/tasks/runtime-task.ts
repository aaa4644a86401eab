import type { TaskRecord } from '../../dataset.js'
import { formatWallClock } from '../../time.js'
import type { RuntimeColumns } from './runtime-columns.js'

export const SUBMITTING = 16
export const CALLING = 11
export const COMPLETED = 12
export const CANCELLED = 14

/**
 * What a task was created with that its later writes never change: shared between the tasks
 * created alike (interned by the book), so a task costs its few changing numbers only.
 */
export interface TaskSetup {
  readonly type: 0 | 1
  readonly groups: readonly number[]
  /** Interned group set (runtime index key part). */
  readonly groupSet: number
  readonly seatGroupName: string
  readonly appId: string
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
}

/** `due` of a task whose status no longer changes by itself. */
export const NEVER = -1

/**
 * A task created through the API (submitTask, resendTask). Its progress is a pure function of
 * the clock and of the writes applied to it, so two replicas that applied the same writes show
 * the same task at the same mock time, and moving the clock back shows it as it was then:
 * - 16 submitting from `createTime` until `startAt`;
 * - 11 calling: `done0 + floor((t - t0) · rate / 60)` numbers dialled, at most `totalCount`;
 * - 12 completed once all are dialled; 14 from a cancel on (progress frozen at the cancel:
 *   only a cancel sets 14, so the status field itself records it).
 * An edit re-anchors (t0, done0) at its time with the new rate.
 * A view over one slot of RuntimeColumns, made when needed: the tasks themselves are columns.
 */
export class RuntimeTask {
  constructor(
    readonly cols: RuntimeColumns,
    readonly slot: number,
  ) {}

  get taskId(): number {
    return this.cols.firstId + this.slot
  }
  /** Unix seconds. */
  get createTime(): number {
    return this.cols.createTime[this.slot] as number
  }
  get setup(): TaskSetup {
    return this.cols.setups[this.cols.setup[this.slot] as number] as TaskSetup
  }
  get calloutRate(): number {
    return this.cols.calloutRate[this.slot] as number
  }
  set calloutRate(v: number) {
    this.cols.calloutRate[this.slot] = v
  }
  get remark(): string | null {
    return this.cols.remark[this.slot] ?? null
  }
  set remark(v: string | null) {
    this.cols.remark[this.slot] = v
  }
  get startAt(): number {
    return this.cols.startAt[this.slot] as number
  }
  /** Numbers per minute; 0 stalls. */
  get rate(): number {
    return this.cols.rate[this.slot] as number
  }
  set rate(v: number) {
    this.cols.rate[this.slot] = v
  }
  get t0(): number {
    return this.cols.t0[this.slot] as number
  }
  set t0(v: number) {
    this.cols.t0[this.slot] = v
  }
  get done0(): number {
    return this.cols.done0[this.slot] as number
  }
  set done0(v: number) {
    this.cols.done0[this.slot] = v
  }
  /** The status the index holds, brought up to the clock by the owner. */
  get status(): number {
    return this.cols.status[this.slot] as number
  }
  set status(v: number) {
    this.cols.status[this.slot] = v
  }
  /** When `status` next changes by itself, or NEVER. */
  get due(): number {
    return this.cols.due[this.slot] as number
  }
  set due(v: number) {
    this.cols.due[this.slot] = v
  }
  /** Shares of dialled numbers that fail and (group call) are transferred to a seat, per mille. */
  get failPermille(): number {
    return Math.floor((this.cols.outcomes[this.slot] as number) / 1000)
  }
  get transferPermille(): number {
    return (this.cols.outcomes[this.slot] as number) % 1000
  }
  get type(): 0 | 1 {
    return this.setup.type
  }
  get groups(): readonly number[] {
    return this.setup.groups
  }
  get groupSet(): number {
    return this.setup.groupSet
  }
  get totalCount(): number {
    return this.setup.totalCount
  }
}

/** Numbers dialled by time `t`. */
export function dialledAt(task: RuntimeTask, t: number): number {
  if (task.status === CANCELLED) return task.done0
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
  if (task.status === CANCELLED) return CANCELLED
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
  const s = task.setup
  return {
    taskId: task.taskId,
    voiceGroupId: [...s.groups],
    seatGroupName: s.seatGroupName,
    createTime: formatWallClock(task.createTime, utcOffsetMinutes),
    remainCount: task.totalCount - dialled,
    totalCount: task.totalCount,
    remark: task.remark,
    ccode: s.ccode,
    codeName: s.codeName,
    taskStatus: status as TaskRecord['taskStatus'],
    taskType: task.type,
    finishFlag: finishFlagOf(status),
    completedRate: completed ? 100 : Math.round((dialled / task.totalCount) * 10000) / 100,
    groupTaskId: task.taskId + 3019,
    transfersNum: transferred,
    callFailuresNum: failed,
    callingNumber: s.displayNum,
    displayNum: s.displayNum,
    numberTotalCount: String(s.numberTotalCount),
    callFinishCount: status === SUBMITTING ? null : dialled,
    numberSameCount: String(s.numberSameCount),
    appId: s.appId,
    calloutRate: task.calloutRate,
    fileName: s.fileName,
    filePath: s.filePath,
  }
}
