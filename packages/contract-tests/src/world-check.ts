import { normalizeStatus } from '@laaffic-kit/protocol'
import type { WorldSample } from './operation-arbitraries.js'
import { type RawTarget, seatWindow, sendRaw } from './operations.js'

type Group = { voiceGroupId: number; groupName: string; countSeat: number }
type Seat = { keyId: number; voiceGroupId: number; empNo: string | null; appId: string }

async function pageThrough<T>(
  t: RawTarget,
  id: 'querySeatGroups' | 'querySeats',
  params: Record<string, unknown>,
) {
  const all: T[] = []
  for (let current = 1; ; current++) {
    const res = await sendRaw(t, id, { body: { current, size: 100, params } })
    const body = res.json as { status: unknown; reason: string; data?: { pages: number; records: T[] } }
    if (normalizeStatus(body?.status) !== 0 || !body.data)
      throw new Error(`${id} answered ${res.text.slice(0, 200)}`)
    all.push(...body.data.records)
    if (current >= body.data.pages) return all
  }
}

/** Every group and every live seat of the account, read through the API itself. */
export async function readWorld(t: RawTarget): Promise<{ groups: Group[]; seats: Seat[] }> {
  const groups = await pageThrough<Group>(t, 'querySeatGroups', {})
  const seats = await pageThrough<Seat>(t, 'querySeats', seatWindow(t.now()))
  return { groups, seats }
}

/** What the fuzzer needs to aim at real ids. */
export function sampleOf(world: { groups: Group[]; seats: Seat[] }, apps: string[]): WorldSample {
  return {
    apps: apps.length > 0 ? apps : [...new Set(world.seats.map((s) => s.appId))],
    groups: world.groups.map((g) => g.voiceGroupId),
    groupNames: world.groups.map((g) => g.groupName),
    seats: world.seats.map((s) => s.keyId),
    seatGroups: world.seats.map((s) => [s.keyId, s.voiceGroupId] as [number, number]),
    empNos: world.seats.flatMap((s) => (s.empNo ? [s.empNo] : [])),
  }
}

/**
 * The invariants that any sequence of writes must keep, checked through the API: every group's
 * countSeat equals seat/query's total for that group, the counts add up to the seat total,
 * every listed seat's group exists, and no id is listed twice. Returns the problems found.
 */
export async function worldProblems(t: RawTarget): Promise<string[]> {
  const { groups, seats } = await readWorld(t)
  const problems: string[] = []
  const groupIds = new Set(groups.map((g) => g.voiceGroupId))
  if (groupIds.size !== groups.length) problems.push('a group is listed twice')
  if (new Set(seats.map((s) => s.keyId)).size !== seats.length) problems.push('a seat is listed twice')
  for (const s of seats)
    if (!groupIds.has(s.voiceGroupId))
      problems.push(`seat ${s.keyId} is in group ${s.voiceGroupId}, which is not listed`)
  const perGroup = new Map<number, number>()
  for (const s of seats) perGroup.set(s.voiceGroupId, (perGroup.get(s.voiceGroupId) ?? 0) + 1)
  for (const g of groups) {
    const listed = perGroup.get(g.voiceGroupId) ?? 0
    if (g.countSeat !== listed)
      problems.push(`group ${g.voiceGroupId}: countSeat ${g.countSeat}, seat/query lists ${listed}`)
  }
  // seat/query filtered by group must agree with the unfiltered list (another index in the mock).
  for (const g of groups) {
    const res = await sendRaw(t, 'querySeats', {
      body: { current: 1, size: 1, params: { ...seatWindow(t.now()), voiceGroupId: g.voiceGroupId } },
    })
    const total = (res.json as { data?: { total: number } }).data?.total
    if (total !== g.countSeat)
      problems.push(`group ${g.voiceGroupId}: countSeat ${g.countSeat}, seat/query by group total ${total}`)
  }
  return problems
}
