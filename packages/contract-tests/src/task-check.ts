import type { Task } from './world-check.js'

/**
 * What a task created through the API must show in preview/query: the fields its submission
 * (or resend) set, as edits changed them since. A field left undefined is not checked.
 */
export interface TaskExpectation {
  /** How the task came to be, for the messages. */
  origin: string
  taskType: number
  fileName?: string
  filePath?: string
  voiceGroupId?: number[]
  appId?: string
  calloutRate?: number
  remark?: string | null
  ccode?: string | null
  displayNum?: string | null
  numberTotalCount?: string
  numberSameCount?: string
  totalCount?: number
  createTime?: string
  /** A resend: the task whose file it dials (the new task shows that task's fileName and filePath). */
  sameFileAs?: number
}

type Body = Record<string, unknown>

/**
 * The expectation a successful submitTask or resendTask body sets: what the body says, and
 * what the vendor's pages imply for what it leaves out (no remark, ccode or displayNum: null;
 * no groups: none). `source` is the resent task's record (the new task dials its file's numbers).
 */
export function expectationOf(origin: string, body: Body, createTime: string): TaskExpectation {
  const e: TaskExpectation = {
    origin,
    taskType: Number(body.type),
    voiceGroupId: Array.isArray(body.voiceGroupId) ? (body.voiceGroupId as number[]) : [],
    remark: typeof body.remark === 'string' ? body.remark : null,
    ccode: typeof body.ccode === 'string' ? body.ccode : null,
    displayNum: typeof body.displayNum === 'string' ? body.displayNum : null,
    createTime,
  }
  if (typeof body.appId === 'string') e.appId = body.appId
  if (typeof body.calloutRate === 'number') e.calloutRate = body.calloutRate
  if (typeof body.fileName === 'string') e.fileName = body.fileName
  if (typeof body.filePath === 'string') e.filePath = body.filePath
  if (body.resendType !== undefined) {
    e.sameFileAs = Number(body.taskId)
    // A resend dials each chosen number once: no repeats in the new task.
    e.numberSameCount = '0'
  }
  return e
}

/**
 * Keeps `created` in step with one answered agent-task write (any other operation, a failure,
 * a body that is not JSON: nothing to learn). `createTime` is the mock clock's wall time now.
 */
export function observeTaskWrite(
  created: Map<number, TaskExpectation>,
  op: string,
  bodyText: string | undefined,
  answer: unknown,
  createTime: string,
): void {
  const a = answer as { status?: unknown; data?: unknown } | undefined
  if (Number(a?.status) !== 0) return
  let body: Body
  try {
    body = JSON.parse(bodyText ?? '') as Body
  } catch {
    return
  }
  if ((op === 'submitPreviewTask' || op === 'resendPreviewTask') && typeof a?.data === 'number')
    created.set(a.data, expectationOf(op, body, createTime))
  if (op === 'editPreviewTask') {
    const e = created.get(Number(body.taskId))
    if (e) applyEdit(e, body)
  }
}

/** An editTask that answered 0: a new calloutRate, and a new remark when the body has one. */
export function applyEdit(e: TaskExpectation, body: Body): void {
  if (typeof body.calloutRate === 'number') e.calloutRate = body.calloutRate
  if (typeof body.remark === 'string') e.remark = body.remark
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * The task invariants visible through preview/query alone, for every listed task:
 * remainCount + callFinishCount (null: nothing dialled) = totalCount; finishFlag 1 exactly for
 * status 12; a completed task at completedRate 100 with remainCount 0; completedRate within
 * 0–100; transfers and failures within what was dialled; numberTotalCount = totalCount +
 * numberSameCount (both numeric strings); no taskId twice. Then every task in `created` is
 * listed with the fields it was asked for.
 */
export function taskProblems(
  tasks: readonly Task[],
  created: ReadonlyMap<number, TaskExpectation>,
): string[] {
  const problems: string[] = []
  const byId = new Map<number, Task>()
  for (const t of tasks) {
    if (byId.has(t.taskId)) problems.push(`task ${t.taskId} is listed twice`)
    byId.set(t.taskId, t)
    const p = (what: string) => problems.push(`task ${t.taskId} (status ${t.taskStatus}): ${what}`)
    const finished = t.callFinishCount ?? 0
    if (t.remainCount + finished !== t.totalCount)
      p(`remainCount ${t.remainCount} + callFinishCount ${t.callFinishCount} ≠ totalCount ${t.totalCount}`)
    if ((t.finishFlag === 1) !== (t.taskStatus === 12)) p(`finishFlag ${t.finishFlag}`)
    if (t.taskStatus === 12 && (t.completedRate !== 100 || t.remainCount !== 0))
      p(`completed with completedRate ${t.completedRate}, remainCount ${t.remainCount}`)
    if (!(t.completedRate >= 0 && t.completedRate <= 100)) p(`completedRate ${t.completedRate}`)
    if ((t.transfersNum ?? 0) + (t.callFailuresNum ?? 0) > finished)
      p(`transfersNum ${t.transfersNum} + callFailuresNum ${t.callFailuresNum} > callFinishCount ${finished}`)
    if (Number(t.numberTotalCount) !== t.totalCount + Number(t.numberSameCount))
      p(
        `numberTotalCount ${t.numberTotalCount} ≠ totalCount ${t.totalCount} + numberSameCount ${t.numberSameCount}`,
      )
  }
  for (const [id, e] of created) {
    const t = byId.get(id)
    if (!t) {
      problems.push(`task ${id} (${e.origin}) is not listed`)
      continue
    }
    const source = e.sameFileAs === undefined ? undefined : byId.get(e.sameFileAs)
    if (e.sameFileAs !== undefined && !source)
      problems.push(`task ${id}: its source ${e.sameFileAs} is not listed`)
    if (source && (t.fileName !== source.fileName || t.filePath !== source.filePath))
      problems.push(`task ${id} (${e.origin}): its file is not its source task ${source.taskId}'s`)
    for (const key of Object.keys(e) as Array<keyof TaskExpectation>) {
      if (key === 'origin' || key === 'sameFileAs' || e[key] === undefined) continue
      const got = key === 'taskType' ? t.taskType : t[key]
      if (!same(got, e[key]))
        problems.push(
          `task ${id} (${e.origin}): ${key} ${JSON.stringify(got)}, expected ${JSON.stringify(e[key])}`,
        )
    }
  }
  return problems
}
