/**
 * Store positions by taskId, for preview/query's `params.taskId` and the task writes. Three ways,
 * the lightest that fits the store:
 * - descending: ids fall strictly with position except a few outliers (a generated store: ids
 *   grow with createTime and positions are newest first; the vendor's example task is the one
 *   outlier). A binary search over the store itself, no index memory: 1M tasks kept a 4 MB
 *   Int32Array and an 8 MB sort key temporary before (task-scale benchmark, RSS).
 * - packed: every id a non-negative integer below 2^30 and at most 2^23 tasks, so id · 2^23 +
 *   position fits a double exactly and one native numeric sort orders them.
 * - a Map from id to positions otherwise.
 */
export interface TaskIdLookup {
  readonly kind: 'descending' | 'packed' | 'map'
  /** Store positions holding the id, ascending. */
  positionsOf(id: number): number[]
}

/** More outliers than this and the store is not treated as descending. */
const MAX_OUTLIERS = 1024
const ID_SHIFT = 2 ** 23

/** ES2024's `new ArrayBuffer(bytes, { maxByteLength })`: Node 20 and Bun have it; the project's lib is ES2023. */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  bytes: number,
  options: { maxByteLength: number },
) => ArrayBuffer

export function taskIdLookup(ids: ArrayLike<number>): TaskIdLookup {
  return descendingLookup(ids) ?? packedLookup(ids) ?? mapLookup(ids)
}

/** Positions whose removal leaves the ids strictly falling, or undefined when there is no such few. */
function descendingOutliers(ids: ArrayLike<number>): number[] | undefined {
  const n = ids.length
  const at = (p: number) =>
    p < 0 ? Number.POSITIVE_INFINITY : p >= n ? Number.NEGATIVE_INFINITY : (ids[p] as number)
  const outliers: number[] = []
  for (let p = 0; p < n; p++) {
    const v = at(p)
    if (at(p - 1) > v && v > at(p + 1)) continue
    // p breaks the order with a neighbour: it is the odd one out if its neighbours are in order.
    if (at(p - 1) > at(p + 1)) {
      outliers.push(p)
      if (outliers.length > MAX_OUTLIERS) return undefined
    }
  }
  // The check above is local: verify the order without the outliers over the whole store.
  let last = Number.POSITIVE_INFINITY
  let k = 0
  for (let p = 0; p < n; p++) {
    if (outliers[k] === p) {
      k++
      continue
    }
    const v = ids[p] as number
    if (!(v < last)) return undefined
    last = v
  }
  return outliers
}

function descendingLookup(ids: ArrayLike<number>): TaskIdLookup | undefined {
  const outliers = descendingOutliers(ids)
  if (!outliers) return undefined
  const isOutlier = new Set(outliers)
  return {
    kind: 'descending',
    positionsOf(id) {
      const out = outliers.filter((p) => ids[p] === id)
      let lo = 0
      let hi = ids.length - 1
      while (lo <= hi) {
        let m = (lo + hi) >>> 1
        while (m <= hi && isOutlier.has(m)) m++
        if (m > hi) {
          hi = ((lo + hi) >>> 1) - 1
          continue
        }
        const v = ids[m] as number
        if (v === id) {
          out.push(m)
          break
        }
        if (v > id) lo = m + 1
        else hi = m - 1
      }
      return out.sort((a, b) => a - b)
    },
  }
}

function packedLookup(ids: ArrayLike<number>): TaskIdLookup | undefined {
  const n = ids.length
  if (n > ID_SHIFT) return undefined
  for (let p = 0; p < n; p++) {
    const id = ids[p] as number
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 30) return undefined
  }
  // A resizable ArrayBuffer, though it never resizes: V8 maps those itself, while a plain one
  // comes from malloc, and glibc answers the free of an 8 MB block by raising its mmap and trim
  // thresholds for the life of the process (CONTRIBUTING.md).
  const packed = new Float64Array(new ResizableArrayBuffer(n * 8, { maxByteLength: n * 8 }))
  for (let p = 0; p < n; p++) packed[p] = (ids[p] as number) * ID_SHIFT + p
  packed.sort()
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = (packed[i] as number) % ID_SHIFT
  return {
    kind: 'packed',
    positionsOf(id) {
      let lo = 0
      let hi = order.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((ids[order[mid] as number] as number) < id) lo = mid + 1
        else hi = mid
      }
      const out: number[] = []
      for (let i = lo; i < order.length && ids[order[i] as number] === id; i++) out.push(order[i] as number)
      return out
    },
  }
}

function mapLookup(ids: ArrayLike<number>): TaskIdLookup {
  const map = new Map<number, number[]>()
  for (let p = 0; p < ids.length; p++) {
    const id = ids[p] as number
    const list = map.get(id)
    if (list) list.push(p)
    else map.set(id, [p])
  }
  return { kind: 'map', positionsOf: (id) => map.get(id) ?? [] }
}
