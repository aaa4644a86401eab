import { QUERY_SEAT_GROUPS } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import type { SortedIds } from '../../state/sorted-ids.js'
import type { World } from '../../state/world.js'
import { listPage } from '../list-page.js'
import { type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['SeatGroupQueryRequest']
type SeatGroupRecord = components['schemas']['SeatGroupRecord']

export function seatGroupRecord(world: World, id: number): SeatGroupRecord {
  const g = world.groups.get(id)
  if (!g) throw new Error(`group ${id} is not in the world`)
  return {
    voiceGroupId: g.voiceGroupId,
    callinStrategy: g.callinStrategy,
    countSeat: world.countSeat(id),
    groupName: g.groupName,
    appName: world.app(g.appId)?.appName ?? g.appId,
  }
}

/** POST /v3/cc/seatGroup/query: the account's live groups, filtered by name (match mode: an option). */
export const querySeatGroups: Operation<Request> = {
  def: QUERY_SEAT_GROUPS,
  validate: schemaValidator<Request>('SeatGroupQueryRequest'),
  prepare: loadSpecValidator,
  handle(request, { world, options }) {
    const name = request.params.groupName
    let ids: SortedIds | number[] = world.groupIds
    if (name !== undefined && name !== '') {
      const matches =
        options.groupNameMatch === 'exact' ? (n: string) => n === name : (n: string) => n.includes(name)
      ids = [...world.groupIds.values()].filter((id) =>
        matches((world.groups.get(id) as { groupName: string }).groupName),
      )
    }
    return ok(listPage(ids, request, options, (id) => seatGroupRecord(world, id)))
  },
}
