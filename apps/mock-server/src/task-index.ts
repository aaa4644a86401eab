import type { TaskStore } from './dataset.js'
import { type TaskIdLookup, taskIdLookup } from './task-id-lookup.js'

/** A validated filter; absent fields do not filter. Date bounds are inclusive Unix seconds. */
export interface TaskFilter {
  lower?: number
  upper?: number
  taskId?: number
  taskStatus?: readonly number[]
  taskType?: number
  finishFlag?: number
  voiceGroupIds?: readonly number[]
  groupMatch?: 'any' | 'all'
}

export interface PageSelection {
  total: number
  /** Store positions of the page, in answer order. */
  positions: number[]
}

interface Bucket {
  groupSet: number
  status: number
  type: number
  finish: number
  /** Ascending store positions. */
  positions: Int32Array
}

/** Returns the first index in `arr[from, to)` whose value is ≥ `x` (arr ascending). */
function lowerBound(arr: Int32Array, x: number, from = 0, to = arr.length): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((arr[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Indexes over a TaskStore so that a query costs O(buckets · log n + page), not O(n):
 * - positions are already in answer order, so a createTime range is a contiguous position
 *   range found by binary search;
 * - every task sits in exactly one bucket keyed by (group set, status, type, finishFlag);
 *   the non-date filters are predicates on that key, so the matches are the union of the
 *   selected buckets (disjoint, hence countable by binary search without materialising);
 * - taskId goes through task-id-lookup.ts.
 */
export class TaskIndex {
  readonly store: TaskStore
  readonly buckets: Bucket[]
  readonly #bucketByKey = new Map<number, Bucket>()
  /** Status and finishFlag of generated tasks changed since (cancelTask): the store never changes. */
  readonly #changed = new Map<number, { status: number; finish: number }>()
  /** Store positions by taskId (task-id-lookup.ts: no index memory for a generated store). */
  readonly #ids: TaskIdLookup

  constructor(store: TaskStore) {
    this.store = store
    this.buckets = buildBuckets(store)
    for (const b of this.buckets) this.#bucketByKey.set(bucketKey(b.groupSet, b.status, b.type, b.finish), b)
    this.#ids = taskIdLookup(store.taskId)
  }

  /** The task's status now (the store's, unless it was changed). */
  statusAt(position: number): number {
    return this.#changed.get(position)?.status ?? (this.store.taskStatus[position] as number)
  }

  finishAt(position: number): number {
    return this.#changed.get(position)?.finish ?? (this.store.finishFlag[position] as number)
  }

  /**
   * Moves a task to another status: out of its bucket, into the bucket of its new key. Copies
   * both buckets' position arrays (a few thousand entries at 1M tasks): changes are rare writes.
   */
  setStatus(position: number, status: number, finish: number): void {
    const groupSet = this.store.groupSet[position] as number
    const type = this.store.taskType[position] as number
    const from = this.#bucketByKey.get(
      bucketKey(groupSet, this.statusAt(position), type, this.finishAt(position)),
    )
    if (from) {
      const i = lowerBound(from.positions, position)
      if (from.positions[i] === position) {
        const next = new Int32Array(from.positions.length - 1)
        next.set(from.positions.subarray(0, i))
        next.set(from.positions.subarray(i + 1), i)
        from.positions = next
      }
    }
    const key = bucketKey(groupSet, status, type, finish)
    let to = this.#bucketByKey.get(key)
    if (!to) {
      to = { groupSet, status, type, finish, positions: new Int32Array(0) }
      this.#bucketByKey.set(key, to)
      this.buckets.push(to)
    }
    const j = lowerBound(to.positions, position)
    const next = new Int32Array(to.positions.length + 1)
    next.set(to.positions.subarray(0, j))
    next[j] = position
    next.set(to.positions.subarray(j), j + 1)
    to.positions = next
    this.#changed.set(position, { status, finish })
  }

  /** Store positions holding a task id, ascending. */
  positionsOfTaskId(id: number): number[] {
    return this.#ids.positionsOf(id)
  }

  /** Contiguous position range [lo, hi) whose createTime lies within [lower, upper]. */
  positionRange(lower: number | undefined, upper: number | undefined): [number, number] {
    const t = this.store.createTime
    const firstWhere = (pred: (v: number) => boolean): number => {
      let lo = 0
      let hi = t.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (pred(t[mid] as number)) hi = mid
        else lo = mid + 1
      }
      return lo
    }
    const start = upper === undefined ? 0 : firstWhere((v) => v <= upper)
    const end = lower === undefined ? t.length : firstWhere((v) => v < lower)
    return [start, Math.max(start, end)]
  }

  /**
   * The page at `offset`/`limit` of the matches in newest-first order (`oldest` reverses it),
   * plus the total, without visiting more than the page per selected bucket.
   */
  select(
    filter: TaskFilter,
    offset: number,
    limit: number,
    order: 'newest' | 'oldest' = 'newest',
  ): PageSelection {
    const [lo, hi] = this.positionRange(filter.lower, filter.upper)
    if (filter.taskId !== undefined) {
      const keep = this.#keyPredicate(filter)
      const matches = this.positionsOfTaskId(filter.taskId).filter((p) => p >= lo && p < hi && keep(p))
      const ordered = order === 'newest' ? matches : matches.reverse()
      return { total: matches.length, positions: ordered.slice(offset, offset + limit) }
    }
    const everything = isEverything(filter)
    const ranges: { arr: Int32Array; start: number; end: number }[] = []
    let total: number
    if (everything) {
      total = hi - lo
    } else {
      const match = this.#bucketPredicate(filter)
      total = 0
      for (const b of this.buckets) {
        if (!match(b)) continue
        const start = lowerBound(b.positions, lo)
        const end = lowerBound(b.positions, hi, start)
        if (end > start) {
          ranges.push({ arr: b.positions, start, end })
          total += end - start
        }
      }
    }
    const [from, to] = rankWindow(total, offset, limit, order)
    if (from >= to) return { total, positions: [] }
    let positions: number[]
    if (everything) {
      positions = []
      for (let p = lo + from; p < lo + to; p++) positions.push(p)
    } else {
      positions = pickRanks(ranges, lo, hi, from, to - from)
    }
    if (order === 'oldest') positions.reverse()
    return { total, positions }
  }

  /**
   * The number of matches and the positions of the newest and oldest of them (undefined when
   * none), without materialising any: the ends of each selected bucket's range.
   */
  summary(filter: TaskFilter): { total: number; newest: number; oldest: number } | undefined {
    const [lo, hi] = this.positionRange(filter.lower, filter.upper)
    if (filter.taskId !== undefined) {
      const keep = this.#keyPredicate(filter)
      const matches = this.positionsOfTaskId(filter.taskId).filter((p) => p >= lo && p < hi && keep(p))
      if (matches.length === 0) return undefined
      return {
        total: matches.length,
        newest: matches[0] as number,
        oldest: matches[matches.length - 1] as number,
      }
    }
    if (isEverything(filter)) return hi > lo ? { total: hi - lo, newest: lo, oldest: hi - 1 } : undefined
    const match = this.#bucketPredicate(filter)
    let total = 0
    let newest = Number.POSITIVE_INFINITY
    let oldest = -1
    for (const b of this.buckets) {
      if (!match(b)) continue
      const start = lowerBound(b.positions, lo)
      const end = lowerBound(b.positions, hi, start)
      if (end <= start) continue
      total += end - start
      newest = Math.min(newest, b.positions[start] as number)
      oldest = Math.max(oldest, b.positions[end - 1] as number)
    }
    return total === 0 ? undefined : { total, newest, oldest }
  }

  /**
   * A counter of the matches created at or after a time, for one filter: the selected buckets
   * are found once, then each call is a binary search per bucket (the interleaved merge of
   * runtime tasks calls it ~30 times per page).
   */
  counterFrom(filter: TaskFilter): (t: number) => number {
    const [lo, hi] = this.positionRange(filter.lower, filter.upper)
    const everything = isEverything(filter)
    const match = this.#bucketPredicate(filter)
    const ranges: { arr: Int32Array; start: number }[] = []
    if (!everything && filter.taskId === undefined) {
      for (const b of this.buckets) {
        if (!match(b)) continue
        const start = lowerBound(b.positions, lo)
        const end = lowerBound(b.positions, hi, start)
        if (end > start) ranges.push({ arr: b.positions, start })
      }
    }
    return (t) => {
      if (filter.taskId !== undefined)
        return this.select({ ...filter, lower: Math.max(filter.lower ?? t, t) }, 0, 0).total
      // Positions are newest first: those at or after t are [lo, cut).
      const [, cut] = this.positionRange(Math.max(filter.lower ?? t, t), filter.upper)
      if (everything) return Math.max(0, Math.min(cut, hi) - lo)
      let n = 0
      for (const r of ranges) n += lowerBound(r.arr, Math.max(cut, lo), r.start) - r.start
      return n
    }
  }

  #bucketPredicate(filter: TaskFilter): (b: Bucket) => boolean {
    const statuses = filter.taskStatus?.length ? new Set(filter.taskStatus) : undefined
    const groupOk = this.#groupSetPredicate(filter)
    return (b) =>
      (statuses === undefined || statuses.has(b.status)) &&
      (filter.taskType === undefined || b.type === filter.taskType) &&
      (filter.finishFlag === undefined || b.finish === filter.finishFlag) &&
      groupOk(b.groupSet)
  }

  #keyPredicate(filter: TaskFilter): (p: number) => boolean {
    const s = this.store
    const match = this.#bucketPredicate(filter)
    return (p) =>
      match({
        groupSet: s.groupSet[p] as number,
        status: this.statusAt(p),
        type: s.taskType[p] as number,
        finish: this.finishAt(p),
        positions: EMPTY,
      })
  }

  #groupSetPredicate(filter: TaskFilter): (groupSet: number) => boolean {
    const wanted = filter.voiceGroupIds
    if (!wanted?.length) return () => true
    const all = filter.groupMatch === 'all'
    const cache = new Map<number, boolean>()
    return (gs) => {
      let ok = cache.get(gs)
      if (ok === undefined) {
        const members = new Set(this.store.groupSets[gs] ?? [])
        ok = all ? wanted.every((g) => members.has(g)) : wanted.some((g) => members.has(g))
        cache.set(gs, ok)
      }
      return ok
    }
  }
}

const EMPTY = new Int32Array(0)

/**
 * The newest-first ranks [from, to) that hold page `offset`/`limit` of `total` matches in the
 * given order (`oldest` is the same ranks counted from the end, then reversed by the caller).
 */
export function rankWindow(
  total: number,
  offset: number,
  limit: number,
  order: 'newest' | 'oldest',
): [number, number] {
  if (order === 'oldest') return [Math.max(0, total - offset - limit), Math.max(0, total - offset)]
  return [offset, Math.min(total, offset + limit)]
}

/** A filter with no key part: every position in the date range matches. */
export function isEverything(filter: TaskFilter): boolean {
  return (
    !filter.taskStatus?.length &&
    filter.taskType === undefined &&
    filter.finishFlag === undefined &&
    !filter.voiceGroupIds?.length
  )
}

/**
 * Ranks [from, from+count) of the union of disjoint ascending ranges: binary-search the
 * position of rank `from` (counting with binary searches per range), then merge only the
 * next `count` elements of each range.
 */
function pickRanks(
  ranges: readonly { arr: Int32Array; start: number; end: number }[],
  lo: number,
  hi: number,
  from: number,
  count: number,
): number[] {
  if (ranges.length === 1) {
    const r = ranges[0] as { arr: Int32Array; start: number }
    return Array.from(r.arr.subarray(r.start + from, r.start + from + count))
  }
  const rankBelow = (x: number): number => {
    let c = 0
    for (const r of ranges) c += lowerBound(r.arr, x, r.start, r.end) - r.start
    return c
  }
  // Smallest x with more than `from` elements below x+1, i.e. the position of rank `from`.
  let a = lo
  let b = hi
  while (a < b) {
    const mid = Math.floor((a + b) / 2)
    if (rankBelow(mid + 1) > from) b = mid
    else a = mid + 1
  }
  const gathered: number[] = []
  for (const r of ranges) {
    const s = lowerBound(r.arr, a, r.start, r.end)
    const e = Math.min(r.end, s + count)
    for (let i = s; i < e; i++) gathered.push(r.arr[i] as number)
  }
  gathered.sort((x, y) => x - y)
  return gathered.slice(0, count)
}

const bucketKey = (groupSet: number, status: number, type: number, finish: number): number =>
  ((groupSet * 256 + status) * 2 + type) * 2 + finish

function buildBuckets(store: TaskStore): Bucket[] {
  const n = store.size
  // Computed twice rather than kept in an n-long temporary (see generateDataset on freed columns).
  const keyAt = (p: number) =>
    bucketKey(
      store.groupSet[p] as number,
      store.taskStatus[p] as number,
      store.taskType[p] as number,
      store.finishFlag[p] as number,
    )
  const counts = new Map<number, number>()
  for (let p = 0; p < n; p++) {
    const key = keyAt(p)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const byKey = new Map<number, { bucket: Bucket; fill: number }>()
  for (const [key, count] of counts) {
    byKey.set(key, {
      bucket: {
        groupSet: Math.floor(key / 1024),
        status: Math.floor(key / 4) % 256,
        type: Math.floor(key / 2) % 2,
        finish: key % 2,
        positions: new Int32Array(count),
      },
      fill: 0,
    })
  }
  for (let p = 0; p < n; p++) {
    const slot = byKey.get(keyAt(p)) as { bucket: Bucket; fill: number }
    slot.bucket.positions[slot.fill++] = p
  }
  return [...byKey.values()].map((s) => s.bucket)
}

/** The obvious O(n) filter, kept as the oracle the index is tested against. */
export function scanFilter(store: TaskStore, filter: TaskFilter): number[] {
  const out: number[] = []
  const statuses = filter.taskStatus?.length ? new Set(filter.taskStatus) : undefined
  for (let p = 0; p < store.size; p++) {
    const t = store.createTime[p] as number
    if (filter.lower !== undefined && t < filter.lower) continue
    if (filter.upper !== undefined && t > filter.upper) continue
    if (filter.taskId !== undefined && store.taskId[p] !== filter.taskId) continue
    if (statuses && !statuses.has(store.taskStatus[p] as number)) continue
    if (filter.taskType !== undefined && store.taskType[p] !== filter.taskType) continue
    if (filter.finishFlag !== undefined && store.finishFlag[p] !== filter.finishFlag) continue
    if (filter.voiceGroupIds?.length) {
      const groups = store.groupSets[store.groupSet[p] as number] ?? []
      const ok =
        filter.groupMatch === 'all'
          ? filter.voiceGroupIds.every((g) => groups.includes(g))
          : filter.voiceGroupIds.some((g) => groups.includes(g))
      if (!ok) continue
    }
    out.push(p)
  }
  return out
}
