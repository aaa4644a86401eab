import { ADD_SEATS } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { mix, prng } from '../../dataset.js'
import { KNOWN_CCODES } from '../../state/countries.js'
import { accountPrefix, randomText } from '../../state/generate-world.js'
import type { World } from '../../state/world.js'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['AddSeatListRequest']

const OVER_QUOTA = -36

/**
 * An employee number no live seat holds: the seat's id, or the id and a suffix when someone has
 * given that number to another seat through updateSeat (empNo is unique in the account: -34).
 */
function freeEmpNo(world: World, keyId: number): string {
  let empNo = String(keyId)
  for (let n = 1; world.seatWithEmpNo(empNo) !== undefined; n++) empNo = `${keyId}${n}`
  return empNo
}

/**
 * POST /v3/cc/seat/addSeatList: `size` new seats in a group, enabled (0) and offline (1), with
 * a generated name, account, employee number and password. The account may hold at most
 * `seatQuota` live seats (a mock option; the vendor documents -36 but no number).
 */
export const addSeats: Operation<Request> = {
  def: ADD_SEATS,
  validate: schemaValidator<Request>('AddSeatListRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options, now }) {
    const group = world.groups.get(request.voiceGroupId)
    if (!group) return fail(options.missingIdStatus, `voiceGroupId ${request.voiceGroupId} does not exist`)
    // The page lists no -66 (updateSeat's code for it): an unknown country code is a parameter error here.
    if (request.ccode !== undefined && request.ccode !== null && !KNOWN_CCODES.has(request.ccode)) {
      return fail(-22, 'ccode is not a known country calling code')
    }
    if (world.seatIds.size + request.size > options.seatQuota) {
      return fail(OVER_QUOTA, `at most ${options.seatQuota} seats per account (${world.seatIds.size} exist)`)
    }
    const created: { keyId: number; name: string }[] = []
    const prefix = accountPrefix(group.appId, world.seed)
    for (let i = 0; i < request.size; i++) {
      const keyId = world.allocateSeatId()
      const rand = prng(mix(world.seed, keyId))
      const name = `Seat ${keyId}`
      world.addSeat({
        keyId,
        empNo: freeEmpNo(world, keyId),
        petName: null,
        name,
        enable: 0,
        priority: 1,
        voiceGroupId: group.voiceGroupId,
        account: `${prefix}_${keyId}`,
        password: randomText(rand, 8),
        createTime: now,
        updateTime: now,
        displayNum: request.displayNum ?? null,
        ccode: request.ccode ?? null,
        status: 1,
      })
      created.push({ keyId, name })
    }
    return ok(created)
  },
}
