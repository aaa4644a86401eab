import type { TaskSetup } from './runtime-task.js'

/** Growable typed columns: doubled when full (amortised O(1) per task). */
function grown<T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T {
  const next = make(Math.max(1024, a.length * 2))
  next.set(a)
  return next
}

/**
 * The changing numbers of the tasks created at run time, one slot per task (slot = taskId −
 * first id): ~70 bytes a task in typed arrays, where one object per task cost ~150 bytes of heap
 * (100k tasks: 17 MB → ~7 MB; the RSS target of the task-scale benchmark is 150 MB with 1M
 * generated tasks beside them). `RuntimeTask` is a view over a slot.
 */
export class RuntimeColumns {
  size = 0
  firstId = 0
  /** Unix seconds. */
  createTime = new Float64Array(0)
  startAt = new Float64Array(0)
  t0 = new Float64Array(0)
  /** NEVER (-1) or when the status next changes by itself. */
  due = new Float64Array(0)
  done0 = new Int32Array(0)
  rate = new Int32Array(0)
  calloutRate = new Int32Array(0)
  /** Index into `setups`. */
  setup = new Int32Array(0)
  /** failPermille · 1000 + transferPermille. */
  outcomes = new Int32Array(0)
  status = new Uint8Array(0)
  readonly remark: (string | null)[] = []
  /** The index's block holding each slot. */
  readonly block: unknown[] = []
  readonly setups: TaskSetup[] = []

  /** A new slot, its columns zeroed. */
  push(): number {
    if (this.size === this.createTime.length) {
      const f = (n: number) => new Float64Array(n)
      const i = (n: number) => new Int32Array(n)
      this.createTime = grown(this.createTime, f)
      this.startAt = grown(this.startAt, f)
      this.t0 = grown(this.t0, f)
      this.due = grown(this.due, f)
      this.done0 = grown(this.done0, i)
      this.rate = grown(this.rate, i)
      this.calloutRate = grown(this.calloutRate, i)
      this.setup = grown(this.setup, i)
      this.outcomes = grown(this.outcomes, i)
      this.status = grown(this.status, (n) => new Uint8Array(n))
    }
    this.remark.push(null)
    this.block.push(undefined)
    return this.size++
  }
}
