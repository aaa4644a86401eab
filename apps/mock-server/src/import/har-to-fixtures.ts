import type { TaskRecord } from '../dataset.js'
import { storeFromFixtures } from '../fixtures.js'
import { OptionError } from '../options.js'
import { recordedExchanges } from '../replay/book.js'
import { worldFixture } from '../state/world-fixtures.js'

type Json = Record<string, unknown>

/** What an import found: the fixture world for `--data`, and what it could not carry. */
export interface ImportResult {
  records: TaskRecord[]
  /** Seat groups `{voiceGroupId, groupName, appId, appName, callinStrategy}` and seat records. */
  groups: Json[]
  seats: Json[]
  /** Successful preview/query answers read. */
  taskPages: number
  /** Distinct seat groups and seats seen in seatGroup/query and seat/query answers. */
  groupsSeen: number
  seatsSeen: number
  /** Groups whose application no recorded seat or task names (a group record has only appName). */
  groupsWithoutApp: number
}

/** The fields a seat fixture takes from a seat/query record (its recorded password is "[redacted]"). */
const SEAT_FIELDS = [
  'keyId',
  'empNo',
  'petName',
  'name',
  'enable',
  'priority',
  'voiceGroupId',
  'account',
  'createTime',
  'updateTime',
  'displayNum',
  'ccode',
  'status',
] as const

type Page = { status?: unknown; data?: { records?: unknown } } | null

/** The records of a successful list answer (status 0 or "0"), else undefined. */
function pageRecords(text: string): unknown[] | undefined {
  let body: Page
  try {
    body = JSON.parse(text) as Page
  } catch {
    return undefined
  }
  if (body === null || typeof body !== 'object' || (body.status !== 0 && body.status !== '0'))
    return undefined
  const records = body.data?.records
  return Array.isArray(records) ? records : undefined
}

const idOf = (r: unknown, key: string): unknown =>
  typeof r === 'object' && r !== null ? (r as Record<string, unknown>)[key] : undefined

/**
 * The task records a recording's preview/query answers hold, each taskId once (the latest
 * recorded state wins), checked exactly as `--data` checks them so the file written always loads.
 * `--data` holds tasks only: seat groups and seats are counted, not imported (their recorded
 * passwords are gone and phone numbers cut, so they could not be served as recorded anyway).
 */
export function fixturesFromHar(doc: unknown, label: string, utcOffsetMinutes: number): ImportResult {
  const tasks = new Map<unknown, unknown>()
  const groups = new Map<unknown, Json>()
  const seats = new Map<unknown, Json>()
  let taskPages = 0
  for (const x of recordedExchanges(doc, label)) {
    if (x.answer.httpStatus !== 200) continue
    const records = pageRecords(x.answer.text)
    if (!records) continue
    if (x.op.id === 'queryPreviewTasks') {
      taskPages++
      for (const r of records) {
        const id = idOf(r, 'taskId')
        // Re-inserted so the map's order is the order of each task's latest recording.
        tasks.delete(id)
        tasks.set(id, r)
      }
    } else if (x.op.id === 'querySeatGroups') {
      for (const r of records)
        if (typeof r === 'object' && r !== null) groups.set(idOf(r, 'voiceGroupId'), r as Json)
    } else if (x.op.id === 'querySeats') {
      for (const r of records) if (typeof r === 'object' && r !== null) seats.set(idOf(r, 'keyId'), r as Json)
    }
  }
  if (tasks.size === 0) {
    throw new OptionError(`${label}: no task records (no successful preview/query answer with records)`)
  }
  const records = [...tasks.values()]
  // The same checks as --data: a recording of a non-conforming upstream is refused here, not later.
  storeFromFixtures(records, utcOffsetMinutes, `${label}: recorded task`)
  const world = worldFrom(groups, seats, records as TaskRecord[])
  worldFixture({ records, ...world }, utcOffsetMinutes, `${label}: recorded`)
  return {
    records: records as TaskRecord[],
    ...world,
    taskPages,
    groupsSeen: groups.size,
    seatsSeen: seats.size,
    groupsWithoutApp: groups.size - world.groups.filter((g) => groups.has(g.voiceGroupId)).length,
  }
}

/**
 * Groups and seats for `--data`: a group's application comes from a seat in it or a task using it
 * (a seatGroup/query record names only `appName`); a group that only seat records mention is built
 * from them. Seats keep their recorded fields except the password (the mock generates one).
 */
function worldFrom(groupRecords: Map<unknown, Json>, seatRecords: Map<unknown, Json>, tasks: TaskRecord[]) {
  const appOf = new Map<unknown, string>()
  const appNames = new Map<string, string>()
  for (const s of seatRecords.values()) if (typeof s.appId === 'string') appOf.set(s.voiceGroupId, s.appId)
  for (const t of tasks) for (const g of t.voiceGroupId) if (!appOf.has(g)) appOf.set(g, t.appId)
  for (const [id, g] of groupRecords) {
    const app = appOf.get(id)
    if (app !== undefined && typeof g.appName === 'string') appNames.set(app, g.appName)
  }
  const groups = new Map<unknown, Json>()
  for (const [id, g] of groupRecords) {
    const appId = appOf.get(id)
    if (appId === undefined) continue
    groups.set(id, {
      voiceGroupId: id,
      groupName: g.groupName,
      appId,
      appName: g.appName,
      callinStrategy: g.callinStrategy,
    })
  }
  for (const s of seatRecords.values()) {
    if (groups.has(s.voiceGroupId) || typeof s.appId !== 'string') continue
    groups.set(s.voiceGroupId, {
      voiceGroupId: s.voiceGroupId,
      groupName: s.groupName,
      appId: s.appId,
      appName: appNames.get(s.appId) ?? s.appId,
      callinStrategy: 4,
    })
  }
  const seats: Json[] = []
  for (const s of seatRecords.values()) {
    if (!groups.has(s.voiceGroupId)) continue
    const seat: Json = {}
    for (const field of SEAT_FIELDS) if (s[field] !== undefined) seat[field] = s[field]
    seats.push(seat)
  }
  return { groups: [...groups.values()], seats }
}
