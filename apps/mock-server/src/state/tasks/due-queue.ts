/**
 * Transitions waiting for the clock: a binary min-heap of (due, taskId). A task's entry is
 * stale once the task is rescheduled (edit, cancel); the owner checks `due` against the task's
 * current one on pop instead of searching the heap to remove it.
 */
export class DueQueue {
  readonly #due: number[] = []
  readonly #ids: number[] = []

  get size(): number {
    return this.#due.length
  }

  /** The earliest due time, or Infinity when nothing waits. */
  peek(): number {
    return this.#due[0] ?? Number.POSITIVE_INFINITY
  }

  push(due: number, taskId: number): void {
    const d = this.#due
    const ids = this.#ids
    let i = d.length
    d.push(due)
    ids.push(taskId)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((d[parent] as number) <= due) break
      d[i] = d[parent] as number
      ids[i] = ids[parent] as number
      i = parent
    }
    d[i] = due
    ids[i] = taskId
  }

  /** Removes the earliest entry; undefined when empty. */
  pop(): { due: number; taskId: number } | undefined {
    const d = this.#due
    const ids = this.#ids
    if (d.length === 0) return undefined
    const top = { due: d[0] as number, taskId: ids[0] as number }
    const lastDue = d.pop() as number
    const lastId = ids.pop() as number
    const n = d.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && (d[r] as number) < (d[l] as number) ? r : l
        if ((d[c] as number) >= lastDue) break
        d[i] = d[c] as number
        ids[i] = ids[c] as number
        i = c
      }
      d[i] = lastDue
      ids[i] = lastId
    }
    return top
  }

  clear(): void {
    this.#due.length = 0
    this.#ids.length = 0
  }
}
