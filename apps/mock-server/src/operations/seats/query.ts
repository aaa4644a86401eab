import { QUERY_SEATS } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import type { Secrets } from '../../faults.js'
import type { MockOptions } from '../../options.js'
import type { SortedIds } from '../../state/sorted-ids.js'
import type { Seat } from '../../state/world.js'
import { parseWallClock } from '../../time.js'
import { listPage } from '../list-page.js'
import { type Operation, ok, type Validated } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'
import { type StatsWindow, seatRecord } from './record.js'

type Request = components['schemas']['SeatQueryRequest']
interface Valid {
  request: Request
  window: { from: number; to: number } | undefined
}

const bySchema = schemaValidator<Request>('SeatQueryRequest')
const WINDOW_FIELDS = new Set(['params.strTime', 'params.endTime'])

/**
 * The newer page requires params.strTime/endTime (`yyyy-MM-dd HH:mm:ss`, read in the mock's
 * zone) at most `seatQueryMaxDays` apart; with `seatQuery: legacy` they are optional and the
 * records carry no call statistics, as on the older page.
 */
function validate(
  body: unknown,
  options: MockOptions,
  secrets: Secrets = options.apiSecret,
): Validated<Valid> {
  const v = bySchema(body, options, secrets)
  if (!v.ok) {
    const missingWindow =
      options.seatQuery === 'legacy' && [...WINDOW_FIELDS].some((f) => v.detail === `${f} is required`)
    if (!missingWindow) return v
    // Legacy: check again without the window's `required`.
    const params = (body as { params?: Record<string, unknown> }).params ?? {}
    const filled = {
      ...(body as object),
      params: { strTime: '1970-01-01 00:00:00', endTime: '1970-01-01 00:00:00', ...params },
    }
    const again = bySchema(filled, options, secrets)
    if (!again.ok) return again
    return { ok: true, value: { request: body as Request, window: undefined } }
  }
  const { strTime, endTime } = v.value.params
  if (options.seatQuery === 'legacy' && strTime === undefined && endTime === undefined) {
    return { ok: true, value: { request: v.value, window: undefined } }
  }
  const from = parseWallClock(strTime, options.utcOffset)
  const to = parseWallClock(endTime, options.utcOffset)
  if (!from || from.dateOnly)
    return { ok: false, detail: 'params.strTime must be a date-time yyyy-MM-dd HH:mm:ss' }
  if (!to || to.dateOnly)
    return { ok: false, detail: 'params.endTime must be a date-time yyyy-MM-dd HH:mm:ss' }
  if (from.epochSeconds > to.epochSeconds)
    return { ok: false, detail: 'params.strTime must not be after params.endTime' }
  if (to.epochSeconds - from.epochSeconds > options.seatQueryMaxDays * 86400) {
    return {
      ok: false,
      detail: `params.strTime and params.endTime must be at most ${options.seatQueryMaxDays} days apart`,
    }
  }
  return { ok: true, value: { request: v.value, window: { from: from.epochSeconds, to: to.epochSeconds } } }
}

/**
 * POST /v3/cc/seat/query. Unfiltered, or by group only, a page costs O(page) (ids are kept
 * sorted per group); the other filters scan the candidate seats to count them, as a SQL COUNT would.
 */
export const querySeats: Operation<Valid> = {
  def: QUERY_SEATS,
  validate,
  prepare: loadSpecValidator,
  handle({ request, window }, { world, options, now }) {
    const { enable, name, status, voiceGroupId } = request.params
    const candidates = voiceGroupId === undefined ? world.seatIds : world.seatsOfGroup(voiceGroupId)
    let ids: SortedIds | number[] = candidates
    if (enable !== undefined || status !== undefined || (name !== undefined && name !== '')) {
      ids = []
      for (const id of candidates.values()) {
        const s = world.seats.get(id) as Seat
        if (enable !== undefined && s.enable !== enable) continue
        if (status !== undefined && s.status !== status) continue
        if (name && !s.name.includes(name)) continue
        ids.push(id)
      }
    }
    const stats: StatsWindow | undefined = window && { from: window.from, to: window.to, now }
    return ok(
      listPage(ids, request, options, (id) =>
        seatRecord(world, world.seats.get(id) as Seat, options.utcOffset, stats),
      ),
    )
  },
}
