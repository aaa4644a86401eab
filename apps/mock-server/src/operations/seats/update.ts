import { UPDATE_SEAT } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { KNOWN_CCODES } from '../../state/countries.js'
import { IN_CALL } from '../../state/world.js'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['UpdateSeatRequest']

const EMP_NO_USED = -34
const BAD_PASSWORD = -64
const OTHER_APPLICATION = -65
const UNKNOWN_CCODE = -66
const IN_A_CALL = -67
const LETTERS_AND_DIGITS = /^[A-Za-z0-9]+$/

/**
 * POST /v3/cc/seat/updateSeat. Checks, in this order (the vendor does not say which comes
 * first): password letters/digits (-64), country code known (-66), seat and group exist
 * (`missingIdStatus`), group in the seat's application (-65), employee number free in the
 * account (-34), seat not in a call (-67).
 */
export const updateSeat: Operation<Request> = {
  def: UPDATE_SEAT,
  validate: schemaValidator<Request>('UpdateSeatRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    if (
      request.password !== undefined &&
      request.password !== null &&
      !LETTERS_AND_DIGITS.test(request.password)
    ) {
      return fail(BAD_PASSWORD)
    }
    if (request.ccode !== undefined && request.ccode !== null && !KNOWN_CCODES.has(request.ccode)) {
      return fail(UNKNOWN_CCODE)
    }
    const seat = world.seats.get(request.keyId)
    if (!seat) return fail(options.missingIdStatus, `keyId ${request.keyId} does not exist`)
    const groupId = Number(request.voiceGroupId)
    const group = world.groups.get(groupId)
    if (!group) return fail(options.missingIdStatus, `voiceGroupId ${groupId} does not exist`)
    if (group.appId !== world.groups.get(seat.voiceGroupId)?.appId) return fail(OTHER_APPLICATION)
    const holder = world.seatWithEmpNo(request.empNo)
    if (holder !== undefined && holder !== seat.keyId) return fail(EMP_NO_USED)
    if (seat.status === IN_CALL) return fail(IN_A_CALL)
    world.updateSeat(seat.keyId, {
      ...seat,
      name: request.name,
      empNo: request.empNo,
      voiceGroupId: groupId,
      ...(request.petName !== undefined ? { petName: request.petName } : {}),
      ...(request.displayNum !== undefined ? { displayNum: request.displayNum } : {}),
      ...(request.ccode !== undefined ? { ccode: request.ccode } : {}),
      ...(request.password !== undefined && request.password !== null ? { password: request.password } : {}),
      updateTime: now,
    })
    return ok(null)
  },
}
