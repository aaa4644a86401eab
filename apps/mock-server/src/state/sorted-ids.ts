/**
 * A set of integer ids kept in ascending order, so a page of it is a slice: listing stays
 * O(page) however many ids there are. Ids are allocated ascending, so adding is an append;
 * deleting is a binary search and a splice (rare, and bounded by the world's size).
 */
export class SortedIds {
  #ids: number[] = []

  get size(): number {
    return this.#ids.length
  }

  add(id: number): void {
    const ids = this.#ids
    if (ids.length === 0 || id > (ids[ids.length - 1] as number)) {
      ids.push(id)
      return
    }
    const at = this.#lowerBound(id)
    if (ids[at] !== id) ids.splice(at, 0, id)
  }

  delete(id: number): boolean {
    const at = this.#lowerBound(id)
    if (this.#ids[at] !== id) return false
    this.#ids.splice(at, 1)
    return true
  }

  has(id: number): boolean {
    return this.#ids[this.#lowerBound(id)] === id
  }

  values(): IterableIterator<number> {
    return this.#ids.values()
  }

  /** `count` ids from `offset`, ascending, or counted from the largest when `descending`. */
  page(offset: number, count: number, descending: boolean): number[] {
    const ids = this.#ids
    if (!descending) return ids.slice(offset, offset + count)
    const end = Math.max(0, ids.length - offset)
    return ids.slice(Math.max(0, end - count), end).reverse()
  }

  #lowerBound(id: number): number {
    const ids = this.#ids
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((ids[mid] as number) < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
