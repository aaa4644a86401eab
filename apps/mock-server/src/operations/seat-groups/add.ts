import { ADD_SEAT_GROUP } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['AddSeatGroupRequest']

/**
 * POST /v3/cc/seatGroup/addGroup. The vendor returns no id (`data` null): read it back with
 * seatGroup/query. A name already used in the application answers the `duplicateGroupStatus`
 * option's code; an appId the account does not have, the `missingIdStatus` option's.
 */
export const addSeatGroup: Operation<Request> = {
  def: ADD_SEAT_GROUP,
  validate: schemaValidator<Request>('AddSeatGroupRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options }) {
    if (!world.app(request.appId)) {
      return fail(options.missingIdStatus, 'appId is not an application of this account')
    }
    if (world.groupNamed(request.appId, request.groupName)) {
      return fail(options.duplicateGroupStatus, 'groupName is already used in this application')
    }
    world.addGroup({
      voiceGroupId: world.allocateGroupId(),
      appId: request.appId,
      groupName: request.groupName,
      // The vendor's samples show 4 (round robin) for new groups; basicSetting would change it.
      callinStrategy: 4,
    })
    return ok(null)
  },
}
