import { isEverything, type TaskFilter } from '../../task-index.js'
import { finishFlagOf, type RuntimeTask } from './runtime-task.js'

/** Tasks per block: a status change is O(1), an insert O(block), a count O(blocks · keys). */
const BLOCK_MAX = 512

interface Block {
  /** Ascending by (createTime, taskId): the answer order reversed. */
  tasks: RuntimeTask[]
  /**
   * Tasks per index key (group set, status, type, finishFlag), as parallel arrays: a block holds
   * a handful of keys, and iterating a Map's entries allocated an array per entry (GC was the top
   * cost of a filtered query in the profile).
   */
  keys: number[]
  counts: number[]
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
  /** By taskId - first id: the book allocates ids in sequence (a Map cost ~40 B a task more). */
  readonly #byId: RuntimeTask[] = []
  #firstId = 0
  readonly #groupSets: (readonly number[])[] = []
  readonly #groupSetIds = new Map<string, number>()

  get size(): number {
    return this.#byId.length
  }

  get(taskId: number): RuntimeTask | undefined {
    return this.#byId[taskId - this.#firstId]
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
      block = { tasks: [], keys: [], counts: [] }
      blocks.push(block)
      bi = 0
    }
    const tasks = block.tasks
    let i = tasks.length
    while (i > 0 && before(task, tasks[i - 1] as RuntimeTask)) i--
    tasks.splice(i, 0, task)
    if (this.#byId.length === 0) this.#firstId = task.taskId
    if (task.taskId !== this.#firstId + this.#byId.length)
      throw new Error('runtime task ids must be consecutive')
    this.#byId.push(task)
    task.block = block
    this.#count(block, task, 1)
    if (tasks.length > BLOCK_MAX) this.#split(bi)
  }

  /** Moves a task to another status in the counts (finishFlag follows: 1 only when completed). */
  setStatus(task: RuntimeTask, status: number): void {
    const block = task.block as Block | undefined
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
    const i = block.keys.indexOf(key)
    if (i >= 0) block.counts[i] = (block.counts[i] as number) + delta
    else {
      block.keys.push(key)
      block.counts.push(delta)
    }
  }

  #split(bi: number): void {
    const block = this.#blocks[bi] as Block
    const half = block.tasks.length >> 1
    const right: Block = { tasks: block.tasks.slice(half), keys: [], counts: [] }
    block.tasks.length = half
    block.keys.length = 0
    block.counts.length = 0
    for (const t of block.tasks) this.#count(block, t, 1)
    for (const t of right.tasks) {
      this.#count(right, t, 1)
      t.block = right
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
      const t = this.get(filter.taskId)
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
        else total += matchedIn(b, keyOk)
      } else {
        for (const t of b.tasks) if (inRange(t, filter) && keyOk(this.#key(t))) total++
      }
    }
    return total
  }

  /** Per block, the tasks matching the filter (whole blocks from their counts). */
  #matchedPerBlock(filter: TaskFilter): Int32Array {
    const keyOk = this.#keyPredicate(filter)
    const everything = isEverything(filter)
    const out = new Int32Array(this.#blocks.length)
    this.#blocks.forEach((b, i) => {
      const span = spanOf(b, filter)
      if (span === 'outside') return
      let n = 0
      if (span === 'inside') {
        if (everything) n = b.tasks.length
        else n += matchedIn(b, keyOk)
      } else {
        for (const t of b.tasks) if (inRange(t, filter) && keyOk(this.#key(t))) n++
      }
      out[i] = n
    })
    return out
  }

  /** The newest and oldest matching tasks (undefined when none): the first matches from each end. */
  extremes(filter: TaskFilter): { newest: RuntimeTask; oldest: RuntimeTask } | undefined {
    if (filter.taskId !== undefined) {
      const t = this.get(filter.taskId)
      return t && this.matches(t, filter) ? { newest: t, oldest: t } : undefined
    }
    const newest = this.select(filter, 0, 1)[0]
    if (!newest) return undefined
    const keyOk = this.#keyPredicate(filter)
    for (const b of this.#blocks) {
      if (spanOf(b, filter) === 'outside') continue
      for (const t of b.tasks) if (inRange(t, filter) && keyOk(this.#key(t))) return { newest, oldest: t }
    }
    return { newest, oldest: newest }
  }

  /**
   * A counter of the matches created at or after a time, for one filter: per-block match counts
   * are summed from the newest block once, so each call is a binary search over blocks and a
   * scan of one block (the interleaved merge calls it ~30 times per page).
   */
  counterFrom(filter: TaskFilter): (t: number) => number {
    const matched = this.#matchedPerBlock(filter)
    const blocks = this.#blocks
    const suffix = new Float64Array(blocks.length + 1)
    for (let i = blocks.length - 1; i >= 0; i--)
      suffix[i] = (suffix[i + 1] as number) + (matched[i] as number)
    const keyOk = this.#keyPredicate(filter)
    return (t) => {
      // First block whose newest task is at or after t; every later block lies wholly after t.
      let lo = 0
      let hi = blocks.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        const b = blocks[mid] as Block
        if ((b.tasks[b.tasks.length - 1] as RuntimeTask).createTime < t) lo = mid + 1
        else hi = mid
      }
      if (lo === blocks.length) return 0
      let n = suffix[lo + 1] as number
      for (const task of (blocks[lo] as Block).tasks) {
        if (task.createTime >= t && inRange(task, filter) && keyOk(this.#key(task))) n++
      }
      return n
    }
  }

  /** Matches at newest-first ranks [offset, offset + limit). */
  select(filter: TaskFilter, offset: number, limit: number): RuntimeTask[] {
    const out: RuntimeTask[] = []
    if (limit <= 0) return out
    if (filter.taskId !== undefined) {
      const t = this.get(filter.taskId)
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
        else n += matchedIn(b, keyOk)
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

/** Tasks of a block whose key passes (from the block's counts). */
function matchedIn(b: Block, keyOk: (key: number) => boolean): number {
  let n = 0
  for (let i = 0; i < b.keys.length; i++) if (keyOk(b.keys[i] as number)) n += b.counts[i] as number
  return n
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
