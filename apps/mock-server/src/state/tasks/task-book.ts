import { mix, prng, type TaskRecord } from '../../dataset.js'
import { RecordCache, recordAt } from '../../paging.js'
import { rankWindow, type TaskFilter, type TaskIndex } from '../../task-index.js'
import { DueQueue } from './due-queue.js'
import { RuntimeIndex } from './runtime-index.js'
import {
  CALLING,
  CANCELLED,
  dialledAt,
  NEVER,
  nextChange,
  outcomesAt,
  type RuntimeTask,
  runtimeRecord,
  statusAt,
} from './runtime-task.js'

/** A task found by id: created at run time, or generated (a store position). */
export type TaskRef = { kind: 'runtime'; task: RuntimeTask } | { kind: 'generated'; position: number }

/** What submitTask/resendTask decided; the book adds the id, the times and the outcomes. */
export interface NewTask {
  type: 0 | 1
  groups: readonly number[]
  seatGroupName: string
  appId: string
  calloutRate: number
  remark: string | null
  ccode: string | null
  codeName: string | null
  displayNum: string | null
  fileName: string
  filePath: string
  numberTotalCount: number
  numberSameCount: number
  totalCount: number
  /** Numbers per minute once calling (0 stalls). */
  rate: number
  /** Seconds spent submitting (16) before calling. */
  startDelay: number
}

export interface TaskPageSelection {
  total: number
  records: TaskRecord[]
}

type Item = { task: RuntimeTask; position?: undefined } | { position: number; task?: undefined }

const OUTCOME_SALT = 0x7a5c

/**
 * The account's agent tasks: the generated ones (immutable store + TaskIndex, whose status a
 * cancel may change) and the ones created through the API (RuntimeIndex), answered as one list
 * in preview/query order. Runtime tasks move along the clock through a queue of due transitions
 * that each request advances to its `now`, so nothing ever scans all tasks; a clock moved back
 * re-derives every runtime task's status (an admin action, O(runtime tasks)).
 */
export class TaskBook {
  readonly generated: TaskIndex
  readonly runtime: RuntimeIndex
  readonly #seed: number
  readonly #due = new DueQueue()
  #advancedTo = Number.NEGATIVE_INFINITY
  /** Generated tasks' fields changed by edits and cancels, by store position. */
  readonly #changed = new Map<number, Partial<TaskRecord>>()
  /** Calling (11) tasks per seat group: their seats cannot be deleted (batchingSeat -68). */
  readonly #calling = new Map<number, number>()

  constructor(generated: TaskIndex, seed: number) {
    this.generated = generated
    this.#seed = seed
    const store = generated.store
    let maxId = 0
    for (let p = 0; p < store.size; p++) maxId = Math.max(maxId, store.taskId[p] as number)
    // Above every generated id, so ties on createTime order runtime tasks first, as by id.
    this.runtime = new RuntimeIndex(Math.max(maxId + 1, 5_100_000))
    for (const b of generated.buckets) {
      if (b.status !== CALLING) continue
      for (const g of store.groupSets[b.groupSet] ?? []) this.#addCalling(g, b.positions.length)
    }
  }

  get runtimeCount(): number {
    return this.runtime.size
  }

  /** Whether a calling task dials through this group. */
  groupInCallingTask(voiceGroupId: number): boolean {
    return (this.#calling.get(voiceGroupId) ?? 0) > 0
  }

  #addCalling(group: number, n: number): void {
    const next = (this.#calling.get(group) ?? 0) + n
    if (next <= 0) this.#calling.delete(group)
    else this.#calling.set(group, next)
  }

  #setRuntimeStatus(task: RuntimeTask, status: number): void {
    if (status === task.status) return
    this.#rtRecords.delete(task.slot)
    if (task.status === CALLING) for (const g of task.groups) this.#addCalling(g, -1)
    if (status === CALLING) for (const g of task.groups) this.#addCalling(g, 1)
    this.runtime.setStatus(task, status)
  }

  #schedule(task: RuntimeTask, now: number): void {
    const next = nextChange(task, now)
    task.due = Number.isFinite(next) ? next : NEVER
    if (task.due !== NEVER) this.#due.push(task.due, task.taskId)
  }

  /** Brings every runtime task's status to `now`. */
  advance(now: number): void {
    if (now < this.#advancedTo) {
      this.#due.clear()
      for (const task of this.runtime.all()) {
        this.#setRuntimeStatus(task, statusAt(task, now))
        this.#schedule(task, now)
      }
    } else {
      while (this.#due.peek() <= now) {
        const entry = this.#due.pop() as { due: number; taskId: number }
        const task = this.runtime.get(entry.taskId)
        if (!task || task.due !== entry.due) continue
        this.#setRuntimeStatus(task, statusAt(task, now))
        this.#schedule(task, now)
      }
    }
    this.#advancedTo = now
  }

  find(taskId: number): TaskRef | undefined {
    const task = this.runtime.get(taskId)
    if (task) return { kind: 'runtime', task }
    const position = this.generated.positionsOfTaskId(taskId)[0]
    return position === undefined ? undefined : { kind: 'generated', position }
  }

  statusOf(ref: TaskRef, now: number): number {
    return ref.kind === 'runtime' ? statusAt(ref.task, now) : this.generated.statusAt(ref.position)
  }

  recordOf(ref: TaskRef, now: number, utcOffset: number): TaskRecord {
    return ref.kind === 'runtime'
      ? runtimeRecord(ref.task, now, utcOffset)
      : this.#generatedRecord(ref.position, utcOffset)
  }

  #generatedRecord(position: number, utcOffset: number): TaskRecord {
    const base = recordAt(this.generated, position, utcOffset)
    const changed = this.#changed.get(position)
    return changed ? { ...base, ...changed } : base
  }

  /** Numbers a resend of this task would dial: 1 failed, 2 not yet called, 3 all. */
  resendCount(ref: TaskRef, resendType: 1 | 2 | 3, now: number): number {
    if (ref.kind === 'runtime') {
      const o = outcomesAt(ref.task, now)
      if (resendType === 1) return o.failed
      return resendType === 2 ? ref.task.totalCount - o.dialled : ref.task.totalCount
    }
    const r = this.#generatedRecord(ref.position, 0)
    if (resendType === 1) return r.callFailuresNum
    return resendType === 2 ? r.remainCount : r.totalCount
  }

  /** Creates a task submitting now; its outcomes are fixed by (seed, taskId). */
  add(input: NewTask, now: number): RuntimeTask {
    const r = prng(mix(this.#seed ^ OUTCOME_SALT, this.runtime.nextId))
    const task = this.runtime.create(
      {
        createTime: now,
        calloutRate: input.calloutRate,
        remark: input.remark,
        startAt: now + input.startDelay,
        rate: input.rate,
        failPermille: 50 + Math.floor(r() * 250),
        transferPermille: 200 + Math.floor(r() * 400),
      },
      this.#setup(input),
    )
    this.#setRuntimeStatus(task, statusAt(task, now))
    this.#schedule(task, now)
    return task
  }

  /** The setup of tasks created alike, shared (a loop submitting one file makes one). */
  #setup(input: NewTask): number {
    const key = JSON.stringify([
      input.type,
      input.groups,
      input.seatGroupName,
      input.appId,
      input.ccode,
      input.codeName,
      input.displayNum,
      input.fileName,
      input.filePath,
      input.numberTotalCount,
      input.numberSameCount,
      input.totalCount,
    ])
    let index = this.#setups.get(key)
    if (index === undefined) {
      index = this.runtime.addSetup({
        type: input.type,
        groups: [...input.groups],
        groupSet: this.runtime.groupSetId(input.groups),
        seatGroupName: input.seatGroupName,
        appId: input.appId,
        ccode: input.ccode,
        codeName: input.codeName,
        displayNum: input.displayNum,
        fileName: input.fileName,
        filePath: input.filePath,
        numberTotalCount: input.numberTotalCount,
        numberSameCount: input.numberSameCount,
        totalCount: input.totalCount,
      })
      this.#setups.set(key, index)
    }
    return index
  }

  readonly #setups = new Map<string, number>()

  /** editTask: a new remark (when given) and call-out rate; progress so far is kept. */
  edit(
    ref: TaskRef,
    change: { remark?: string | null | undefined; calloutRate: number; rate: number },
    now: number,
  ): void {
    if (ref.kind === 'generated') {
      const prev = this.#changed.get(ref.position) ?? {}
      const next: Partial<TaskRecord> = { ...prev, calloutRate: change.calloutRate }
      if (change.remark !== undefined) next.remark = change.remark
      this.#changed.set(ref.position, next)
      return
    }
    const task = ref.task
    if (now >= task.startAt && now > task.t0) {
      task.done0 = dialledAt(task, now)
      task.t0 = now
    }
    this.#rtRecords.delete(task.slot)
    task.rate = change.rate
    task.calloutRate = change.calloutRate
    if (change.remark !== undefined) task.remark = change.remark
    this.#setRuntimeStatus(task, statusAt(task, now))
    this.#schedule(task, now)
  }

  /** cancelTask: status 14 from now on, its counters frozen as they are. */
  cancel(ref: TaskRef, now: number): void {
    if (ref.kind === 'generated') {
      const { createTime: _zoned, ...fields } = this.#generatedRecord(ref.position, 0)
      this.#changed.set(ref.position, { ...fields, taskStatus: CANCELLED, finishFlag: 0 })
      if (this.generated.statusAt(ref.position) === CALLING) {
        const groupSet = this.generated.store.groupSet[ref.position] as number
        for (const g of this.generated.store.groupSets[groupSet] ?? []) this.#addCalling(g, -1)
      }
      this.generated.setStatus(ref.position, CANCELLED, 0)
      return
    }
    const task = ref.task
    task.done0 = dialledAt(task, now)
    this.#setRuntimeStatus(task, CANCELLED)
    task.due = NEVER
  }

  /**
   * The page at newest-first ranks [offset, offset + limit) of every matching task (`oldest`
   * reverses the order), plus the total. Runtime ids are above every generated id, so the
   * merged order is (createTime desc, taskId desc) with runtime tasks first on equal times.
   */
  select(
    filter: TaskFilter,
    offset: number,
    limit: number,
    order: 'newest' | 'oldest',
    now: number,
    utcOffset: number,
  ): TaskPageSelection {
    this.advance(now)
    const rtTotal = this.runtime.size === 0 ? 0 : this.runtime.count(filter)
    if (rtTotal === 0) {
      const sel = this.generated.select(filter, offset, limit, order)
      return { total: sel.total, records: sel.positions.map((p) => this.#generatedRecord(p, utcOffset)) }
    }
    const gen = this.generated.summary(filter)
    const genTotal = gen?.total ?? 0
    const total = genTotal + rtTotal
    const [from, to] = rankWindow(total, offset, limit, order)
    if (from >= to) return { total, records: [] }
    const items = this.#mergedRanks(filter, from, to - from, gen, rtTotal)
    if (order === 'oldest') items.reverse()
    return {
      total,
      records: items.map((it) =>
        it.task
          ? this.#runtimeRecord(it.task, now, utcOffset)
          : this.#generatedRecord(it.position, utcOffset),
      ),
    }
  }

  /**
   * Records of runtime tasks that do not move with the clock (all but calling ones), kept until
   * a write or a transition changes them, marked so the serialiser keeps their bytes too: a page
   * of 15 submitting tasks cost 2.3x a page at 1k tasks when each was rebuilt and re-encoded per
   * request (task-scale benchmark).
   */
  #runtimeRecord(task: RuntimeTask, now: number, utcOffset: number): TaskRecord {
    if (task.status === CALLING) return runtimeRecord(task, now, utcOffset)
    return this.#rtRecords.get(task.slot, () => runtimeRecord(task, now, utcOffset))
  }

  readonly #rtRecords = new RecordCache()

  #genTime(position: number): number {
    return this.generated.store.createTime[position] as number
  }

  #mergedRanks(
    filter: TaskFilter,
    from: number,
    count: number,
    gen: { total: number; newest: number; oldest: number } | undefined,
    rtTotal: number,
  ): Item[] {
    const rtPage = (start: number, n: number): Item[] =>
      this.runtime.select(filter, start, n).map((task) => ({ task }))
    const genPage = (start: number, n: number): Item[] =>
      this.generated.select(filter, start, n).positions.map((position) => ({ position }))
    const rt = this.runtime.extremes(filter)
    if (!gen) return rtPage(from, count)
    if (!rt) return genPage(from, count)
    // The usual case (real clock): every runtime task is newer, so the page is a concatenation.
    if (rt.oldest.createTime >= this.#genTime(gen.newest))
      return concat(rtPage, genPage, rtTotal, from, count)
    if (this.#genTime(gen.oldest) > rt.newest.createTime)
      return concat(genPage, rtPage, gen.total, from, count)
    // Interleaved (a frozen or shifted clock): find the createTime of rank `from` by binary
    // search over time, counting both sides with their indexes, then merge one page from each.
    const rtFrom = this.runtime.counterFrom(filter)
    const genFrom = this.generated.counterFrom(filter)
    let lo = Math.min(rt.oldest.createTime, this.#genTime(gen.oldest))
    let hi = Math.max(rt.newest.createTime, this.#genTime(gen.newest))
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (genFrom(mid) + rtFrom(mid) > from) lo = mid
      else hi = mid - 1
    }
    const rtAbove = rtFrom(lo + 1)
    const genAbove = genFrom(lo + 1)
    const rtAtTime = rtFrom(lo) - rtAbove
    const skip = from - rtAbove - genAbove
    const rtItems = rtPage(rtAbove + Math.min(skip, rtAtTime), count)
    const genItems = genPage(genAbove + Math.max(0, skip - rtAtTime), count)
    const out: Item[] = []
    let i = 0
    let j = 0
    while (out.length < count && (i < rtItems.length || j < genItems.length)) {
      const a = rtItems[i]
      const b = genItems[j]
      if (a && (!b || (a.task as RuntimeTask).createTime >= this.#genTime(b.position as number))) {
        out.push(a)
        i++
      } else {
        out.push(b as Item)
        j++
      }
    }
    return out
  }
}

/** Ranks [from, from + count) of `first`'s matches followed by `second`'s. */
function concat(
  first: (start: number, n: number) => Item[],
  second: (start: number, n: number) => Item[],
  firstTotal: number,
  from: number,
  count: number,
): Item[] {
  const out = from < firstTotal ? first(from, Math.min(count, firstTotal - from)) : []
  if (out.length < count) out.push(...second(Math.max(0, from - firstTotal), count - out.length))
  return out
}
