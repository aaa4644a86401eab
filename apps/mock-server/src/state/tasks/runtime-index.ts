import type { TaskFilter } from '../../task-index.js'
import { finishFlagOf, type RuntimeTask } from './runtime-task.js'

/** Tasks per block: a status change is O(1), an insert O(block), a count O(blocks · keys). */
const BLOCK_MAX = 512

interface Block {
  /** Ascending by (createTime, taskId): the answer order reversed. */
  tasks: RuntimeTask[]
  /** Tasks per index key (group set, status, type, finishFlag). */
  counts: Map<number, number>
}

const keyOf = (groupSet: number, status: number, type: number, finish: number): number =>
  ((groupSet * 256 + status) * 2 + type) * 2 + finish

const before = (a: RuntimeTask, b: RuntimeTask): boolean =>
  a.createTime < b.createTime || (a.createTime === b.createTime && a.taskId < b.taskId)

/**
 * The tasks created at run time, indexed for preview/query's filters without scanning them:
 * blocks in createTime order, each with its count per index key, so a count adds up whole blocks
 * and scans at most the two blocks a date bound cuts, and a page skips whole blocks to its offset.
 */
export class RuntimeIndex {
  readonly #blocks: Block[] = []
  readonly #byId = new Map<number, RuntimeTask>()
  readonly #blockOf = new Map<number, Block>()
  readonly #groupSets: (readonly number[])[] = []
  readonly #groupSetIds = new Map<string, number>()

  get size(): number {
    return this.#byId.size
  }

  get(taskId: number): RuntimeTask | undefined {
    return this.#byId.get(taskId)
  }

  /** Every task, oldest first (a full rebuild after the clock moves back). */
  *all(): IterableIterator<RuntimeTask> {
    for (const b of this.#blocks) yield* b.tasks
  }

  /** The interned id of a set of groups (order and repeats ignored). */
  groupSetId(groups: readonly number[]): number {
    const sorted = [...new Set(groups)].sort((a, b) => a - b)
    const key = sorted.join(',')
    let id = this.#groupSetIds.get(key)
    if (id === undefined) {
      id = this.#groupSets.length
      this.#groupSets.push(sorted)
      this.#groupSetIds.set(key, id)
    }
    return id
  }

  insert(task: RuntimeTask): void {
    const blocks = this.#blocks
    let bi = blocks.length - 1
    // Tasks arrive in clock order unless the clock was moved back: then search the block.
    while (bi > 0 && before(task, (blocks[bi] as Block).tasks[0] as RuntimeTask)) bi--
    let block = blocks[bi]
    if (!block) {
      block = { tasks: [], counts: new Map() }
      blocks.push(block)
      bi = 0
    }
    const tasks = block.tasks
    let i = tasks.length
    while (i > 0 && before(task, tasks[i - 1] as RuntimeTask)) i--
    tasks.splice(i, 0, task)
    this.#byId.set(task.taskId, task)
    this.#blockOf.set(task.taskId, block)
    this.#count(block, task, 1)
    if (tasks.length > BLOCK_MAX) this.#split(bi)
  }

  /** Moves a task to another status in the counts (finishFlag follows: 1 only when completed). */
  setStatus(task: RuntimeTask, status: number): void {
    const block = this.#blockOf.get(task.taskId)
    if (!block) return
    this.#count(block, task, -1)
    task.status = status
    this.#count(block, task, 1)
  }

  #key(task: RuntimeTask): number {
    return keyOf(task.groupSet, task.status, task.type, finishFlagOf(task.status))
  }

  #count(block: Block, task: RuntimeTask, delta: number): void {
    const key = this.#key(task)
    const n = (block.counts.get(key) ?? 0) + delta
    if (n === 0) block.counts.delete(key)
    else block.counts.set(key, n)
  }

  #split(bi: number): void {
    const block = this.#blocks[bi] as Block
    const half = block.tasks.length >> 1
    const right: Block = { tasks: block.tasks.slice(half), counts: new Map() }
    block.tasks.length = half
    block.counts.clear()
    for (const t of block.tasks) this.#count(block, t, 1)
    for (const t of right.tasks) {
      this.#count(right, t, 1)
      this.#blockOf.set(t.taskId, right)
    }
    this.#blocks.splice(bi + 1, 0, right)
  }

  /** Whether a task matches a filter's key and date parts. */
  matches(task: RuntimeTask, filter: TaskFilter): boolean {
    if (filter.lower !== undefined && task.createTime < filter.lower) return false
    if (filter.upper !== undefined && task.createTime > filter.upper) return false
    if (filter.taskId !== undefined && task.taskId !== filter.taskId) return false
    return this.#keyPredicate(filter)(this.#key(task))
  }

  #keyPredicate(filter: TaskFilter): (key: number) => boolean {
    const statuses = filter.taskStatus?.length ? new Set(filter.taskStatus) : undefined
    const wanted = filter.voiceGroupIds?.length ? filter.voiceGroupIds : undefined
    const all = filter.groupMatch === 'all'
    const cache = new Map<number, boolean>()
    return (key) => {
      let ok = cache.get(key)
      if (ok !== undefined) return ok
      const finish = key % 2
      const type = Math.floor(key / 2) % 2
      const status = Math.floor(key / 4) % 256
      const groupSet = Math.floor(key / 1024)
      ok =
        (statuses === undefined || statuses.has(status)) &&
        (filter.taskType === undefined || type === filter.taskType) &&
        (filter.finishFlag === undefined || finish === filter.finishFlag)
      if (ok && wanted) {
        const members = this.#groupSets[groupSet] ?? []
        ok = all ? wanted.every((g) => members.includes(g)) : wanted.some((g) => members.includes(g))
      }
      cache.set(key, ok)
      return ok
    }
  }

  /** How many tasks match. */
  count(filter: TaskFilter): number {
    if (filter.taskId !== undefined) {
      const t = this.#byId.get(filter.taskId)
      return t && this.matches(t, filter) ? 1 : 0
    }
    const keyOk = this.#keyPredicate(filter)
    const everything = isEverything(filter)
    let total = 0
    for (const b of this.#blocks) {
      const span = spanOf(b, filter)
      if (span === 'outside') continue
      if (span === 'inside') {
        if (everything) total += b.tasks.length
        else for (const [key, n] of b.counts) if (keyOk(key)) total += n
      } else {
        for (const t of b.tasks) if (inRange(t, filter) && keyOk(this.#key(t))) total++
      }
    }
    return total
  }

  /** Matches at newest-first ranks [offset, offset + limit). */
  select(filter: TaskFilter, offset: number, limit: number): RuntimeTask[] {
    const out: RuntimeTask[] = []
    if (limit <= 0) return out
    if (filter.taskId !== undefined) {
      const t = this.#byId.get(filter.taskId)
      if (t && offset === 0 && this.matches(t, filter)) out.push(t)
      return out
    }
    const keyOk = this.#keyPredicate(filter)
    const everything = isEverything(filter)
    let skip = offset
    for (let bi = this.#blocks.length - 1; bi >= 0 && out.length < limit; bi--) {
      const b = this.#blocks[bi] as Block
      const span = spanOf(b, filter)
      if (span === 'outside') continue
      if (span === 'inside') {
        let n = 0
        if (everything) n = b.tasks.length
        else for (const [key, c] of b.counts) if (keyOk(key)) n += c
        if (skip >= n) {
          skip -= n
          continue
        }
      }
      for (let i = b.tasks.length - 1; i >= 0 && out.length < limit; i--) {
        const t = b.tasks[i] as RuntimeTask
        if (!inRange(t, filter) || !keyOk(this.#key(t))) continue
        if (skip > 0) skip--
        else out.push(t)
      }
    }
    return out
  }
}

function isEverything(filter: TaskFilter): boolean {
  return (
    !filter.taskStatus?.length &&
    filter.taskType === undefined &&
    filter.finishFlag === undefined &&
    !filter.voiceGroupIds?.length
  )
}

function inRange(t: RuntimeTask, filter: TaskFilter): boolean {
  return (
    (filter.lower === undefined || t.createTime >= filter.lower) &&
    (filter.upper === undefined || t.createTime <= filter.upper)
  )
}

function spanOf(b: Block, filter: TaskFilter): 'inside' | 'outside' | 'partial' {
  const first = (b.tasks[0] as RuntimeTask).createTime
  const last = (b.tasks[b.tasks.length - 1] as RuntimeTask).createTime
  const lo = filter.lower ?? Number.NEGATIVE_INFINITY
  const hi = filter.upper ?? Number.POSITIVE_INFINITY
  if (last < lo || first > hi) return 'outside'
  if (first >= lo && last <= hi) return 'inside'
  return 'partial'
}
