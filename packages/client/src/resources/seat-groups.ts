import {
  ADD_SEAT_GROUP,
  DELETE_SEAT_GROUP,
  QUERY_SEAT_GROUPS,
  UPDATE_SEAT_GROUP,
} from '@laaffic-kit/protocol'
import type { LaafficCore } from '../engine.js'
import { PageIterator } from '../paging.js'
import type {
  AddSeatGroupRequest,
  DeleteSeatGroupParams,
  EmptyData,
  PageQuery,
  RequestOptions,
  SeatGroupPage,
  SeatGroupQueryRequest,
  UpdateSeatGroupRequest,
} from '../types.js'

// Shared, not rebuilt per call: the core only reads them.
const PAGE = { data: 'page' } as const
const WRITE = { write: true } as const

/** Seat (agent) groups: `/v3/cc/seatGroup/…`. Writes retry only what proves them unprocessed (see `retryWrites`). */
export class SeatGroups {
  readonly #core: LaafficCore

  constructor(core: LaafficCore) {
    this.#core = core
  }

  /** One page of groups, optionally filtered by `params.groupName` (`querySeatGroups`). */
  query(body: SeatGroupQueryRequest, options?: RequestOptions): Promise<SeatGroupPage> {
    return this.#core.request(QUERY_SEAT_GROUPS, body, options, PAGE)
  }

  /** Every page of a group query, lazily (`current` default 1, `size` default 100). */
  iterate(
    query: PageQuery<SeatGroupQueryRequest>,
    options?: RequestOptions,
  ): PageIterator<SeatGroupQueryRequest, SeatGroupPage> {
    return new PageIterator((body, o) => this.query(body, o), query, options)
  }

  /**
   * Creates a group under a voice application (`addSeatGroup`). Resolves with `data` (the vendor
   * sends `null`: read the new `voiceGroupId` back with `query`).
   */
  add(body: AddSeatGroupRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(ADD_SEAT_GROUP, body, options, WRITE)
  }

  /** Renames a group (`updateSeatGroup`). */
  update(body: UpdateSeatGroupRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(UPDATE_SEAT_GROUP, body, options, WRITE)
  }

  /**
   * Deletes a group (`deleteSeatGroup`, a GET with `?voiceGroupId=`). A group that still has
   * seats, a team leader or a SIP trunk is refused with an operation-specific code (-64, -69, -70).
   */
  delete(params: DeleteSeatGroupParams, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(DELETE_SEAT_GROUP, params, options, WRITE)
  }
}
