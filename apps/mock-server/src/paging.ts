import type { components } from '@laaffic-kit/spec'
import type { TaskRecord } from './dataset.js'
import type { TaskBook } from './state/tasks/task-book.js'
import type { TaskFilter, TaskIndex } from './task-index.js'

export type TaskPage = components['schemas']['TaskPage']

export interface PageRequest {
  current: number
  size: number
  filter: TaskFilter
}

export interface PagingOptions {
  overflow: 'empty' | 'first'
  order: 'newest' | 'oldest'
  utcOffset: number
}

/**
 * Marks the records this cache holds: the same object comes back for the same task, so the
 * serialiser may keep its bytes. Records made per request (API-created tasks move with the clock)
 * are not marked: keeping their bytes in a WeakMap cost more than encoding them (the top self
 * time of a page of runtime tasks in the profile).
 */
export const CACHED_RECORD: unique symbol = Symbol('cached record')

/** MyBatis-Plus page semantics: pages = ceil(total/size); past the end → no records, real totals. */
export function pageCount(total: number, size: number): number {
  return total === 0 ? 0 : Math.ceil(total / size)
}

/**
 * A bounded cache of materialised records: deriving a record (PRNG draws, date formatting) was
 * the top cost per request after parsing. When full it starts over, so a walk over a million
 * tasks cannot hold them all. What it returns is marked CACHED_RECORD.
 */
export class RecordCache {
  static readonly LIMIT = 50_000
  readonly #records = new Map<number, TaskRecord>()

  get(key: number, make: () => TaskRecord): TaskRecord {
    let record = this.#records.get(key)
    if (!record) {
      if (this.#records.size >= RecordCache.LIMIT) this.#records.clear()
      record = make()
      // Non-enumerable: a spread copy (an edited record, completedRate as a string) is not marked.
      Object.defineProperty(record, CACHED_RECORD, { value: true })
      this.#records.set(key, record)
    }
    return record
  }

  delete(key: number): void {
    this.#records.delete(key)
  }
}

/** Generated records per index: they never change after generation. */
const recordCaches = new WeakMap<TaskIndex, RecordCache>()

export function recordAt(index: TaskIndex, position: number, utcOffset: number): TaskRecord {
  let cache = recordCaches.get(index)
  if (!cache) {
    cache = new RecordCache()
    recordCaches.set(index, cache)
  }
  return cache.get(position, () => index.store.record(position, utcOffset))
}

/** Runs a query and materialises only the page's records (cached; callers copy, never mutate). */
export function queryPage(book: TaskBook, req: PageRequest, options: PagingOptions, now: number): TaskPage {
  let current = req.current
  const offset = (current - 1) * req.size
  let sel = book.select(req.filter, offset, req.size, options.order, now, options.utcOffset)
  const pages = pageCount(sel.total, req.size)
  // MyBatis-Plus `overflow = true` answers page 1 instead of an empty page.
  if (options.overflow === 'first' && sel.records.length === 0 && sel.total > 0 && current > pages) {
    current = 1
    sel = book.select(req.filter, 0, req.size, options.order, now, options.utcOffset)
  }
  return { total: sel.total, size: req.size, current, searchCount: true, pages, records: sel.records }
}
