import { BATCH_SEATS } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { IN_CALL, type Seat } from '../../state/world.js'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['BatchSeatRequest']

const IN_A_CALL = -67
const IN_A_TASK = -68
const DELETE = 2
const DISABLE = 3

/**
 * POST /v3/cc/seat/batchingSeat: type 2 deletes, 3 disables, 4 enables. All or nothing: every
 * id must be a live seat (`missingIdStatus` otherwise); a seat in a call cannot be deleted or
 * disabled (-67), nor deleted while a calling task uses its group (-68).
 */
export const batchSeats: Operation<Request> = {
  def: BATCH_SEATS,
  validate: schemaValidator<Request>('BatchSeatRequest'),
  prepare: loadSpecValidator,
  handle({ type, idList }, { world, options, now }) {
    const seats: Seat[] = []
    for (const id of idList) {
      const seat = world.seats.get(id)
      if (!seat) return fail(options.missingIdStatus, `keyId ${id} does not exist`)
      seats.push(seat)
    }
    if (type === DELETE || type === DISABLE) {
      if (seats.some((s) => s.status === IN_CALL)) return fail(IN_A_CALL)
    }
    if (type === DELETE) {
      if (seats.some((s) => world.inRunningTask(s, now))) return fail(IN_A_TASK)
      for (const s of seats) world.deleteSeat(s.keyId)
      return ok(null)
    }
    const enable = type === DISABLE ? 1 : 0
    // A disabled seat is logged out.
    for (const s of seats)
      world.updateSeat(s.keyId, { ...s, enable, status: enable === 1 ? 1 : s.status, updateTime: now })
    return ok(null)
  },
}
