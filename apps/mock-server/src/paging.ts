import type { components } from '@laaffic-kit/spec'
import type { TaskRecord } from './dataset.js'
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

/** MyBatis-Plus page semantics: pages = ceil(total/size); past the end → no records, real totals. */
export function pageCount(total: number, size: number): number {
  return total === 0 ? 0 : Math.ceil(total / size)
}

/** Runs a query and materialises only the page's records. */
export function queryPage(index: TaskIndex, req: PageRequest, options: PagingOptions): TaskPage {
  let current = req.current
  const offset = (current - 1) * req.size
  let sel = index.select(req.filter, offset, req.size, options.order)
  const pages = pageCount(sel.total, req.size)
  // MyBatis-Plus `overflow = true` answers page 1 instead of an empty page.
  if (options.overflow === 'first' && sel.positions.length === 0 && sel.total > 0 && current > pages) {
    current = 1
    sel = index.select(req.filter, 0, req.size, options.order)
  }
  const records: TaskRecord[] = sel.positions.map((p) => index.store.record(p, options.utcOffset))
  return { total: sel.total, size: req.size, current, searchCount: true, pages, records }
}
