import { UPDATE_SEAT_GROUP } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['UpdateSeatGroupRequest']

/** POST /v3/cc/seatGroup/updateGroup: renames a group; the name stays unique within its application. */
export const updateSeatGroup: Operation<Request> = {
  def: UPDATE_SEAT_GROUP,
  validate: schemaValidator<Request>('UpdateSeatGroupRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options }) {
    const group = world.groups.get(request.voiceGroupId)
    if (!group) return fail(options.missingIdStatus, `voiceGroupId ${request.voiceGroupId} does not exist`)
    const other = world.groupNamed(group.appId, request.groupName)
    if (other && other.voiceGroupId !== group.voiceGroupId) {
      return fail(options.duplicateGroupStatus, 'groupName is already used in this application')
    }
    world.renameGroup(group.voiceGroupId, request.groupName)
    return ok(null)
  },
}
