import { isEverything, type TaskFilter } from '../../task-index.js'
import { RuntimeColumns } from './runtime-columns.js'
import { finishFlagOf, NEVER, RuntimeTask, SUBMITTING, type TaskSetup } from './runtime-task.js'

/**
 * Tasks per block: a status change is O(1), an insert O(block), a count without date bounds
 * O(keys), with them O(blocks · keys).
 */
const BLOCK_MAX = 512

/**
 * Tasks per index key (group set, status, type, finishFlag), as parallel arrays: a block holds
 * a handful of keys, and iterating a Map's entries allocated an array per entry (GC was the top
 * cost of a filtered query in the profile).
 */
interface KeyCounts {
  keys: number[]
  counts: number[]
}

interface Block extends KeyCounts {
  /** Slots, ascending by (createTime, taskId): the answer order reversed. */
  slots: number[]
}

function addCount(kc: KeyCounts, key: number, delta: number): void {
  const i = kc.keys.indexOf(key)
  if (i >= 0) kc.counts[i] = (kc.counts[i] as number) + delta
  else {
    kc.keys.push(key)
    kc.counts.push(delta)
  }
}

const keyOf = (groupSet: number, status: number, type: number, finish: number): number =>
  ((groupSet * 256 + status) * 2 + type) * 2 + finish

/** What a new task starts with; the index gives it the next id. */
export interface RuntimeInit {
  createTime: number
  calloutRate: number
  remark: string | null
  startAt: number
  rate: number
  failPermille: number
  transferPermille: number
}

/**
 * The tasks created at run time, indexed for preview/query's filters without scanning them:
 * blocks in createTime order, each with its count per index key, so a count adds up whole blocks
 * and scans at most the two blocks a date bound cuts, and a page skips whole blocks to its offset.
 * The tasks live in RuntimeColumns; ids are allocated here, in sequence, so a slot is id − first.
 */
export class RuntimeIndex {
  readonly #cols = new RuntimeColumns()
  readonly #blocks: Block[] = []
  /**
   * The blocks' counts summed: a count without date bounds reads these instead of every block
   * (taskStatus [12] with 100k API tasks none of which matched visited 196 blocks per query).
   */
  readonly #totals: KeyCounts = { keys: [], counts: [] }
  readonly #groupSets: (readonly number[])[] = []
  readonly #groupSetIds = new Map<string, number>()

  constructor(firstId: number) {
    this.#cols.firstId = firstId
  }

  get size(): number {
    return this.#cols.size
  }

  /** The id the next created task gets. */
  get nextId(): number {
    return this.#cols.firstId + this.#cols.size
  }

  get(taskId: number): RuntimeTask | undefined {
    const slot = taskId - this.#cols.firstId
    return Number.isInteger(slot) && slot >= 0 && slot < this.#cols.size
      ? new RuntimeTask(this.#cols, slot)
      : undefined
  }

  /** Every task, oldest first (a full rebuild after the clock moves back). */
  *all(): IterableIterator<RuntimeTask> {
    for (const b of this.#blocks) for (const slot of b.slots) yield new RuntimeTask(this.#cols, slot)
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

  /** The index of a setup in the columns' shared list (the book interns them). */
  addSetup(setup: TaskSetup): number {
    this.#cols.setups.push(setup)
    return this.#cols.setups.length - 1
  }

  /** A new task with the next id, submitting (the book then brings its status to the clock). */
  create(init: RuntimeInit, setupIndex: number): RuntimeTask {
    const c = this.#cols
    const slot = c.push()
    c.createTime[slot] = init.createTime
    c.startAt[slot] = init.startAt
    c.t0[slot] = init.startAt
    c.due[slot] = NEVER
    c.done0[slot] = 0
    c.rate[slot] = init.rate
    c.calloutRate[slot] = init.calloutRate
    c.setup[slot] = setupIndex
    c.outcomes[slot] = init.failPermille * 1000 + init.transferPermille
    c.status[slot] = SUBMITTING
    c.remark[slot] = init.remark
    this.#insert(slot)
    return new RuntimeTask(c, slot)
  }

  #before(a: number, b: number): boolean {
    const t = this.#cols.createTime
    const ta = t[a] as number
    const tb = t[b] as number
    return ta < tb || (ta === tb && a < b)
  }

  #insert(slot: number): void {
    const blocks = this.#blocks
    let bi = blocks.length - 1
    // Tasks arrive in clock order unless the clock was moved back: then search the block.
    while (bi > 0 && this.#before(slot, (blocks[bi] as Block).slots[0] as number)) bi--
    let block = blocks[bi]
    if (!block) {
      block = { slots: [], keys: [], counts: [] }
      blocks.push(block)
      bi = 0
    }
    const slots = block.slots
    let i = slots.length
    while (i > 0 && this.#before(slot, slots[i - 1] as number)) i--
    slots.splice(i, 0, slot)
    this.#cols.block[slot] = block
    const key = this.#key(slot)
    addCount(block, key, 1)
    addCount(this.#totals, key, 1)
    if (slots.length > BLOCK_MAX) this.#split(bi)
  }

  /** Moves a task to another status in the counts (finishFlag follows: 1 only when completed). */
  setStatus(task: RuntimeTask, status: number): void {
    const block = this.#cols.block[task.slot] as Block | undefined
    if (!block) return
    const before = this.#key(task.slot)
    this.#cols.status[task.slot] = status
    const after = this.#key(task.slot)
    addCount(block, before, -1)
    addCount(block, after, 1)
    addCount(this.#totals, before, -1)
    addCount(this.#totals, after, 1)
  }

  #key(slot: number): number {
    const c = this.#cols
    const setup = c.setups[c.setup[slot] as number] as TaskSetup
    const status = c.status[slot] as number
    return keyOf(setup.groupSet, status, setup.type, finishFlagOf(status))
  }

  #inRange(slot: number, filter: TaskFilter): boolean {
    const t = this.#cols.createTime[slot] as number
    return (
      (filter.lower === undefined || t >= filter.lower) && (filter.upper === undefined || t <= filter.upper)
    )
  }

  #split(bi: number): void {
    const block = this.#blocks[bi] as Block
    const half = block.slots.length >> 1
    const right: Block = { slots: block.slots.slice(half), keys: [], counts: [] }
    block.slots.length = half
    block.keys.length = 0
    block.counts.length = 0
    for (const s of block.slots) addCount(block, this.#key(s), 1)
    for (const s of right.slots) {
      addCount(right, this.#key(s), 1)
      this.#cols.block[s] = right
    }
    this.#blocks.splice(bi + 1, 0, right)
  }

  /** Whether a task matches a filter's key and date parts. */
  matches(task: RuntimeTask, filter: TaskFilter): boolean {
    if (filter.taskId !== undefined && task.taskId !== filter.taskId) return false
    return this.#inRange(task.slot, filter) && this.#keyPredicate(filter)(this.#key(task.slot))
  }

  #spanOf(b: Block, filter: TaskFilter): 'inside' | 'outside' | 'partial' {
    const t = this.#cols.createTime
    const first = t[b.slots[0] as number] as number
    const last = t[b.slots[b.slots.length - 1] as number] as number
    const lo = filter.lower ?? Number.NEGATIVE_INFINITY
    const hi = filter.upper ?? Number.POSITIVE_INFINITY
    if (last < lo || first > hi) return 'outside'
    if (first >= lo && last <= hi) return 'inside'
    return 'partial'
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
    if (filter.lower === undefined && filter.upper === undefined)
      return everything ? this.size : matchedIn(this.#totals, keyOk)
    let total = 0
    for (const b of this.#blocks) {
      const span = this.#spanOf(b, filter)
      if (span === 'outside') continue
      if (span === 'inside') {
        if (everything) total += b.slots.length
        else total += matchedIn(b, keyOk)
      } else {
        for (const s of b.slots) if (this.#inRange(s, filter) && keyOk(this.#key(s))) total++
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
      const span = this.#spanOf(b, filter)
      if (span === 'outside') return
      let n = 0
      if (span === 'inside') {
        if (everything) n = b.slots.length
        else n += matchedIn(b, keyOk)
      } else {
        for (const s of b.slots) if (this.#inRange(s, filter) && keyOk(this.#key(s))) n++
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
      if (this.#spanOf(b, filter) === 'outside') continue
      for (const s of b.slots)
        if (this.#inRange(s, filter) && keyOk(this.#key(s)))
          return { newest, oldest: new RuntimeTask(this.#cols, s) }
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
    const times = this.#cols.createTime
    return (t) => {
      // First block whose newest task is at or after t; every later block lies wholly after t.
      let lo = 0
      let hi = blocks.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        const b = blocks[mid] as Block
        if ((times[b.slots[b.slots.length - 1] as number] as number) < t) lo = mid + 1
        else hi = mid
      }
      if (lo === blocks.length) return 0
      let n = suffix[lo + 1] as number
      for (const s of (blocks[lo] as Block).slots) {
        if ((times[s] as number) >= t && this.#inRange(s, filter) && keyOk(this.#key(s))) n++
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
      const span = this.#spanOf(b, filter)
      if (span === 'outside') continue
      if (span === 'inside') {
        let n = 0
        if (everything) n = b.slots.length
        else n += matchedIn(b, keyOk)
        if (skip >= n) {
          skip -= n
          continue
        }
      }
      for (let i = b.slots.length - 1; i >= 0 && out.length < limit; i--) {
        const s = b.slots[i] as number
        if (!this.#inRange(s, filter) || !keyOk(this.#key(s))) continue
        if (skip > 0) skip--
        else out.push(new RuntimeTask(this.#cols, s))
      }
    }
    return out
  }
}

/** Tasks of a block whose key passes (from the block's counts). */
function matchedIn(b: KeyCounts, keyOk: (key: number) => boolean): number {
  let n = 0
  for (let i = 0; i < b.keys.length; i++) if (keyOk(b.keys[i] as number)) n += b.counts[i] as number
  return n
}
