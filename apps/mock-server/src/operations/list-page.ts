import type { MockOptions } from '../options.js'
import { pageCount } from '../paging.js'
import type { SortedIds } from '../state/sorted-ids.js'

export interface Page<R> {
  total: number
  size: number
  current: number
  searchCount: true
  pages: number
  records: R[]
}

/**
 * One MyBatis-Plus page over ids in ascending order (the same semantics as preview/query:
 * pages = ceil(total/size); past the end, no records and the real totals, or page 1 with the
 * `overflow: first` option). `order: newest` lists the highest ids (the newest) first.
 */
export function listPage<R>(
  ids: SortedIds | readonly number[],
  request: { current: number; size: number },
  options: Pick<MockOptions, 'order' | 'overflow'>,
  toRecord: (id: number) => R,
): Page<R> {
  const total = Array.isArray(ids) ? ids.length : (ids as SortedIds).size
  const pages = pageCount(total, request.size)
  let current = request.current
  if (options.overflow === 'first' && total > 0 && current > pages) current = 1
  const offset = (current - 1) * request.size
  const descending = options.order === 'newest'
  let slice: number[]
  if (Array.isArray(ids)) {
    const list = ids as readonly number[]
    if (!descending) slice = list.slice(offset, offset + request.size)
    else {
      const end = Math.max(0, list.length - offset)
      slice = list.slice(Math.max(0, end - request.size), end).reverse()
    }
  } else slice = (ids as SortedIds).page(offset, request.size, descending)
  return { total, size: request.size, current, searchCount: true, pages, records: slice.map(toRecord) }
}
