import { normalizeStatus } from '@laaffic-kit/protocol'
import { base64, numberFiles } from './number-files.js'
import type { WorldSample } from './operation-arbitraries.js'
import { type RawTarget, seatWindow, sendRaw } from './operations.js'
import { type TaskExpectation, taskProblems } from './task-check.js'

type Group = { voiceGroupId: number; groupName: string; countSeat: number }
type Seat = { keyId: number; voiceGroupId: number; empNo: string | null; appId: string }
/** The fields of a preview/query record the invariants read. */
export type Task = {
  taskId: number
  taskStatus: number
  taskType: number
  finishFlag: number
  totalCount: number
  remainCount: number
  callFinishCount: number | null
  completedRate: number
  transfersNum: number | null
  callFailuresNum: number | null
  numberTotalCount: string
  numberSameCount: string
  fileName: string
  filePath: string
  voiceGroupId: number[]
  appId: string
  calloutRate: number | null
  remark: string | null
  ccode: string | null
  displayNum: string | null
  createTime: string
}

async function pageThrough<T>(
  t: RawTarget,
  id: 'querySeatGroups' | 'querySeats' | 'queryPreviewTasks',
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

export interface World {
  groups: Group[]
  seats: Seat[]
  tasks: Task[]
}

/** Every group, live seat and task of the account, read through the API itself. */
export async function readWorld(t: RawTarget): Promise<World> {
  const groups = await pageThrough<Group>(t, 'querySeatGroups', {})
  const seats = await pageThrough<Seat>(t, 'querySeats', seatWindow(t.now()))
  const tasks = await pageThrough<Task>(t, 'queryPreviewTasks', {})
  return { groups, seats, tasks }
}

/**
 * Uploads the suite's small sample file (5 numbers, one repeated) and returns its `filePath`:
 * what submitTask can really use, so fuzzed submissions create tasks.
 */
export async function uploadSampleFile(t: RawTarget): Promise<string> {
  const res = await sendRaw(t, 'uploadPreviewFile', {
    body: { fileName: 'lkit-ct-sample.xls', file: base64(numberFiles().xls) },
  })
  const body = res.json as { status: unknown; data?: { filePath?: unknown } }
  if (normalizeStatus(body?.status) !== 0 || typeof body.data?.filePath !== 'string')
    throw new Error(`uploadPreviewFile answered ${res.text.slice(0, 200)}`)
  return body.data.filePath
}

/** What the fuzzer needs to aim at real ids. */
export function sampleOf(
  world: { groups: Group[]; seats: Seat[]; tasks?: Array<{ taskId: number }> },
  apps: string[],
  files: string[] = [],
): WorldSample {
  return {
    apps: apps.length > 0 ? apps : [...new Set(world.seats.map((s) => s.appId))],
    groups: world.groups.map((g) => g.voiceGroupId),
    groupNames: world.groups.map((g) => g.groupName),
    seats: world.seats.map((s) => s.keyId),
    seatGroups: world.seats.map((s) => [s.keyId, s.voiceGroupId] as [number, number]),
    empNos: world.seats.flatMap((s) => (s.empNo ? [s.empNo] : [])),
    tasks: (world.tasks ?? []).map((t) => t.taskId),
    files,
  }
}

/**
 * The invariants that any sequence of writes must keep, checked through the API: every group's
 * countSeat equals seat/query's total for that group, the counts add up to the seat total,
 * every listed seat's group exists, and no id is listed twice; every task's counters agree
 * (src/task-check.ts), and each task created through the API (`created`: what its submission,
 * resend and edits said) is listed once, by itself under `params.taskId` too, as it was asked
 * for. Returns the problems found.
 */
export async function worldProblems(
  t: RawTarget,
  created: ReadonlyMap<number, TaskExpectation> = new Map(),
): Promise<string[]> {
  const { groups, seats, tasks } = await readWorld(t)
  const problems: string[] = []
  problems.push(...taskProblems(tasks, created))
  for (const id of created.keys()) {
    const res = await sendRaw(t, 'queryPreviewTasks', {
      body: { current: 1, size: 10, params: { taskId: String(id) } },
    })
    const ids = (res.json as { data?: { records?: Array<{ taskId: number }> } }).data?.records?.map(
      (r) => r.taskId,
    )
    if (JSON.stringify(ids) !== JSON.stringify([id]))
      problems.push(`task ${id}: params.taskId lists ${JSON.stringify(ids)}`)
  }
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
