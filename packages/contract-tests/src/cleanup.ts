import type { LaafficClient } from '@laaffic-kit/client'
import type { RunLedger } from './write-guard.js'

/**
 * Deletes everything a run's ledger says it created and has not deleted yet: first finds the
 * ids of groups it named (an addSeatGroup whose answer was lost still left a group), then each
 * group's seats (batch type 2), then the group. Never throws: it returns what it could not
 * delete, so an afterAll can report leftovers after trying everything.
 */
export async function sweepRun(
  client: LaafficClient,
  ledger: RunLedger,
  window: { strTime: string; endTime: string },
): Promise<string[]> {
  const problems: string[] = []
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn()
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`)
    }
  }
  // Reads go through the guard, which learns the ids of this run's names and the seats in its groups.
  for (const groupName of ledger.groupNames)
    await attempt(`find group ${groupName}`, () =>
      client.seatGroups.query({ current: 1, size: 100, params: { groupName } }),
    )
  for (const voiceGroupId of [...ledger.groups]) {
    await attempt(`list seats of ${voiceGroupId}`, () =>
      client.seats.query({ current: 1, size: 100, params: { ...window, voiceGroupId } }),
    )
  }
  if (ledger.seats.size > 0)
    await attempt(`delete seats ${[...ledger.seats].join(',')}`, () =>
      client.seats.batch({ type: 2, idList: [...ledger.seats] }),
    )
  for (const voiceGroupId of [...ledger.groups])
    await attempt(`delete group ${voiceGroupId}`, () => client.seatGroups.delete({ voiceGroupId }))
  if (ledger.groups.size > 0) problems.push(`groups left behind: ${[...ledger.groups].join(', ')}`)
  if (ledger.seats.size > 0) problems.push(`seats left behind: ${[...ledger.seats].join(', ')}`)
  return problems
}
