import { ADD_SEATS, BATCH_SEATS, QUERY_SEATS, UPDATE_SEAT } from '@laaffic-kit/protocol'
import type { LaafficCore } from '../engine.js'
import { PageIterator } from '../paging.js'
import type {
  AddSeatListRequest,
  BatchSeatRequest,
  CreatedSeat,
  EmptyData,
  PageQuery,
  RequestOptions,
  SeatPage,
  SeatQueryRequest,
  UpdateSeatRequest,
} from '../types.js'

// Shared, not rebuilt per call: the core only reads them.
const PAGE = { data: 'page' } as const
const WRITE = { write: true } as const
const WRITE_LIST = { write: true, data: 'list' } as const

/** Seats (agents): `/v3/cc/seat/…`. Writes retry only what proves them unprocessed (see `retryWrites`). */
export class Seats {
  readonly #core: LaafficCore

  constructor(core: LaafficCore) {
    this.#core = core
  }

  /**
   * One page of seats (`querySeats`); `params.strTime` and `params.endTime`
   * (`yyyy-MM-dd HH:mm:ss`, at most 32 days apart) are required. Each record's `password` is
   * the seat's password in clear: the client never logs it or puts it on an error.
   */
  query(body: SeatQueryRequest, options?: RequestOptions): Promise<SeatPage> {
    return this.#core.request(QUERY_SEATS, body, options, PAGE)
  }

  /** Every page of a seat query, lazily (`current` default 1, `size` default 100). */
  iterate(
    query: PageQuery<SeatQueryRequest>,
    options?: RequestOptions,
  ): PageIterator<SeatQueryRequest, SeatPage> {
    return new PageIterator((body, o) => this.query(body, o), query, options)
  }

  /**
   * Creates `size` seats in a group (`addSeats`) and resolves with their `{ keyId, name }`. Not
   * safe to repeat: by default a failure that may have been applied is not retried.
   */
  addList(body: AddSeatListRequest, options?: RequestOptions): Promise<CreatedSeat[]> {
    return this.#core.request(ADD_SEATS, body, options, WRITE_LIST)
  }

  /** Edits a seat (`updateSeat`). A `password` sent here is scrubbed from any error the call throws. */
  update(body: UpdateSeatRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(UPDATE_SEAT, body, options, WRITE)
  }

  /** Deletes (`type` 2), disables (3) or enables (4) the seats in `idList` (`batchSeats`). */
  batch(body: BatchSeatRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(BATCH_SEATS, body, options, WRITE)
  }
}
