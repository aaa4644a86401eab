import type { QueryRequest, RequestOptions, TaskPage, TaskQuery, TaskRecord } from './types.js'

export const DEFAULT_PAGE_SIZE = 100

/**
 * A lazy walk over every page of a query. Iterate it for records, `.pages()` for pages, or
 * `.toArray()` to collect. Each iteration starts a fresh walk and holds one page at a time.
 */
export class TaskIterator implements AsyncIterable<TaskRecord> {
  readonly #fetchPage: (body: QueryRequest, options: RequestOptions) => Promise<TaskPage>
  readonly #query: TaskQuery
  readonly #options: RequestOptions

  constructor(
    fetchPage: (body: QueryRequest, options: RequestOptions) => Promise<TaskPage>,
    query: TaskQuery,
    options: RequestOptions = {},
  ) {
    this.#fetchPage = fetchPage
    this.#query = query
    this.#options = options
  }

  /** Yields pages from `current` (default 1) until the last one. */
  async *pages(): AsyncGenerator<TaskPage, void, undefined> {
    const { current = 1, size = DEFAULT_PAGE_SIZE, ...rest } = this.#query
    for (let page = current; ; page++) {
      const result = await this.#fetchPage({ ...rest, current: page, size }, this.#options)
      yield result
      // `pages` ends the walk; an empty page ends it too, so a server whose `pages` never
      // stops growing (or lies) cannot keep us looping forever.
      if (page >= result.pages || result.records.length === 0) return
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TaskRecord, void, undefined> {
    for await (const page of this.pages()) yield* page.records
  }

  /** Every record of every page, in order. Loads them all: prefer `for await` for big result sets. */
  async toArray(): Promise<TaskRecord[]> {
    const all: TaskRecord[] = []
    for await (const page of this.pages()) all.push(...page.records)
    return all
  }
}
