import { DELETE_SEAT_GROUP } from '@laaffic-kit/protocol'
import { fail, type Operation, ok } from '../operation.js'

const NOT_FOUND = -24
const HAS_SEATS = -64

/**
 * GET /v3/cc/seatGroup/deleteGroup?voiceGroupId=…: -24 for an unknown group, -64 while seats
 * are in it (delete them with seat/batchingSeat first). Team leaders (-69) and SIP trunks (-70)
 * are not modelled; force those codes with X-Mock-Status to test a client's handling.
 */
export const deleteSeatGroup: Operation<{ voiceGroupId: number }> = {
  def: DELETE_SEAT_GROUP,
  validate(request) {
    const query = request as Record<string, string | undefined>
    const raw = query.voiceGroupId
    if (raw === undefined || raw === '') return { ok: false, detail: 'voiceGroupId is required' }
    if (!/^[1-9][0-9]{0,14}$/.test(raw))
      return { ok: false, detail: 'voiceGroupId must be a positive integer' }
    return { ok: true, value: { voiceGroupId: Number(raw) } }
  },
  handle({ voiceGroupId }, { world }) {
    if (!world.groups.has(voiceGroupId)) return fail(NOT_FOUND, `voiceGroupId ${voiceGroupId} does not exist`)
    if (world.countSeat(voiceGroupId) > 0) return fail(HAS_SEATS)
    world.deleteGroup(voiceGroupId)
    return ok(null)
  },
}
