import { QUERY_PREVIEW_TASKS } from '@laaffic-kit/protocol'
import type { LaafficCore } from '../engine.js'
import { TaskIterator } from '../paging.js'
import type { QueryRequest, RequestOptions, TaskPage, TaskQuery } from '../types.js'

// Shared, not rebuilt per call: the core only reads it.
const PAGE = { data: 'page' } as const
/** IVR group-call (agent) tasks: `POST /v3/cc/preview/query`. */
export class PreviewTasks {
  readonly #core: LaafficCore

  constructor(core: LaafficCore) {
    this.#core = core
  }

  /** One page of tasks (`queryPreviewTasks`). Resolves with `data` when `status` is 0. */
  query(body: QueryRequest, options?: RequestOptions): Promise<TaskPage> {
    return this.#core.request(QUERY_PREVIEW_TASKS, body, options, PAGE)
  }

  /** Every page of a query, lazily, one request per page (`current` default 1, `size` default 100). */
  iterate(query: TaskQuery, options?: RequestOptions): TaskIterator {
    return new TaskIterator((body, o) => this.query(body, o), query, options)
  }
}
