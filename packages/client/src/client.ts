import createClient, { type Client } from 'openapi-fetch'
import { createCoreInternals, type LaafficCore, type LaafficCoreOptions } from './engine.js'
import type { paths } from './generated/schema.js'
import type { TaskIterator } from './paging.js'
import { PreviewFiles } from './resources/preview-files.js'
import { PreviewTasks } from './resources/preview-tasks.js'
import { SeatGroups } from './resources/seat-groups.js'
import { Seats } from './resources/seats.js'
import { signingMiddleware } from './signing.js'
import type { QueryRequest, RequestOptions, TaskPage, TaskQuery } from './types.js'

export type { FetchLike } from './engine.js'

/** The typed openapi-fetch client behind {@link LaafficClient.raw}. */
export type RawClient = Client<paths, 'application/json'>

/** The client's options: the core's (see {@link LaafficCoreOptions}). */
export type LaafficClientOptions = LaafficCoreOptions

export interface LaafficClient {
  /** Seat (agent) groups: `query`, `iterate`, `add`, `update`, `delete`. */
  readonly seatGroups: SeatGroups
  /** Seats (agents): `query`, `iterate`, `addList`, `update`, `batch`. */
  readonly seats: Seats
  /** IVR group-call tasks: `query`, `iterate`. */
  readonly previewTasks: PreviewTasks
  /** Callee-number files for agent tasks: `upload` (an .xls/.xlsx file's bytes, sent as base64). */
  readonly previewFiles: PreviewFiles
  /**
   * Fetches one page of tasks: the same as `previewTasks.query`, kept as the documented alias.
   * Resolves with `data` when `status` is 0 (as a number or a string); otherwise throws a
   * {@link LaafficApiError} subclass. Retries per the client's policy.
   */
  queryTasks(body: QueryRequest, options?: RequestOptions): Promise<TaskPage>
  /** Walks every page of a task query lazily: the same as `previewTasks.iterate`. */
  iterateTasks(query: TaskQuery, options?: RequestOptions): TaskIterator
  /** The request loop the resources share (for resource classes of your own). */
  readonly core: LaafficCore
  /** The underlying openapi-fetch client with the signing middleware (no retries, no envelope checks). */
  readonly raw: RawClient
  /** Server time minus local time in ms, as learnt from clock-skew corrections (0 until one happens). */
  readonly clockOffsetMs: number
}

/**
 * Creates a client with every resource and `raw`. Throws a `TypeError` for an obviously wrong
 * option (see `createLaafficCore`). The credentials live only in closures: inspecting or
 * serialising the client cannot show them.
 *
 * @example
 * const client = createLaafficClient({ apiKey, apiSecret })
 * const groups = await client.seatGroups.query({ current: 1, size: 15, params: {} })
 */
export function createLaafficClient(options: LaafficClientOptions): LaafficClient {
  const { core, state, baseUrl, send, defaultHeaders, route } = createCoreInternals(options)
  const raw: RawClient = createClient<paths, 'application/json'>({
    baseUrl,
    fetch: send,
    headers: defaultHeaders ?? {},
  })
  raw.use(signingMiddleware(state))
  // Once the user adds a middleware with raw.use, every resource sends through raw so it sees
  // their requests too (until then they skip openapi-fetch). Routed before `use` runs, as that
  // may add some middlewares and then throw on a bad one; not undone by `eject`.
  const { use } = raw
  raw.use = (...middlewares) => {
    route(async (op, input, headers, signal, onSign) => {
      // Typed loosely: the operation's path, method and body were typed where the resource took them.
      const call = raw[op.method] as (
        path: string,
        init: object,
      ) => Promise<{ response: Response; data?: unknown; error?: unknown }>
      const answer = await call(op.path, {
        ...(op.method === 'GET' ? { params: { query: input } } : { body: input }),
        headers: headers ?? {},
        signal,
        parseAs: 'text',
        fetch: (request: Request) => {
          onSign(request.headers.get('sign'))
          return send(request)
        },
      })
      return [answer.response, answer.data ?? answer.error]
    })
    use(...middlewares)
  }

  const previewTasks = new PreviewTasks(core)
  return {
    seatGroups: new SeatGroups(core),
    seats: new Seats(core),
    previewTasks,
    previewFiles: new PreviewFiles(core),
    queryTasks: (body, requestOptions) => previewTasks.query(body, requestOptions),
    iterateTasks: (query, requestOptions) => previewTasks.iterate(query, requestOptions),
    core,
    raw,
    get clockOffsetMs() {
      return core.clockOffsetMs
    },
  }
}
