import type { PageQuery, QueryRequest, RequestOptions, TaskPage } from './types.js'

export const DEFAULT_PAGE_SIZE = 100

/** The fields of a MyBatis-Plus page the walk reads. */
interface AnyPage {
  pages: number
  records: unknown[]
}

/**
 * A lazy walk over every page of a query. Iterate it for records, `.pages()` for pages, or
 * `.toArray()` to collect. Each iteration starts a fresh walk and holds one page at a time.
 */
export class PageIterator<Request extends { current: number; size: number }, Page extends AnyPage>
  implements AsyncIterable<Page['records'][number]>
{
  readonly #fetchPage: (body: Request, options: RequestOptions) => Promise<Page>
  readonly #query: PageQuery<Request>
  readonly #options: RequestOptions

  constructor(
    fetchPage: (body: Request, options: RequestOptions) => Promise<Page>,
    query: PageQuery<Request>,
    options: RequestOptions = {},
  ) {
    // Thrown here, synchronously, rather than at the first page: the mistake is the caller's.
    if (!query || typeof query !== 'object') {
      throw new TypeError('laaffic: body must be an object with current, size and params')
    }
    this.#fetchPage = fetchPage
    this.#query = query
    this.#options = options
  }

  /** Yields pages from `current` (default 1) until the last one. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    const { current = 1, size = DEFAULT_PAGE_SIZE, ...rest } = this.#query
    for (let page = current; ; page++) {
      const result = await this.#fetchPage({ ...rest, current: page, size } as Request, this.#options)
      yield result
      // `pages` ends the walk; an empty page ends it too, so a server whose `pages` never
      // stops growing (or lies) cannot keep us looping forever.
      if (page >= result.pages || result.records.length === 0) return
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Page['records'][number], void, undefined> {
    for await (const page of this.pages()) yield* page.records as Page['records'][number][]
  }

  /** Every record of every page, in order. Loads them all: prefer `for await` for big result sets. */
  async toArray(): Promise<Page['records'][number][]> {
    const all: Page['records'][number][] = []
    for await (const page of this.pages()) all.push(...page.records)
    return all
  }
}

/** The walk over `previewTasks` (and `iterateTasks`): records are `TaskRecord`s. */
export class TaskIterator extends PageIterator<QueryRequest, TaskPage> {}
