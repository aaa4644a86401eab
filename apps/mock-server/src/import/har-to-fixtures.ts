import type { TaskRecord } from '../dataset.js'
import { storeFromFixtures } from '../fixtures.js'
import { OptionError } from '../options.js'
import { recordedExchanges } from '../replay/book.js'

/** What an import found: the task records for `--data`, and what it saw but cannot carry. */
export interface ImportResult {
  records: TaskRecord[]
  /** Successful preview/query answers read. */
  taskPages: number
  /** Distinct seat groups and seats seen in seatGroup/query and seat/query answers (not imported). */
  groupsSeen: number
  seatsSeen: number
}

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
  const groups = new Set<unknown>()
  const seats = new Set<unknown>()
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
      for (const r of records) groups.add(idOf(r, 'voiceGroupId'))
    } else if (x.op.id === 'querySeats') {
      for (const r of records) seats.add(idOf(r, 'keyId'))
    }
  }
  if (tasks.size === 0) {
    throw new OptionError(`${label}: no task records (no successful preview/query answer with records)`)
  }
  const records = [...tasks.values()]
  // The same checks as --data: a recording of a non-conforming upstream is refused here, not later.
  storeFromFixtures(records, utcOffsetMinutes, `${label}: recorded task`)
  return { records: records as TaskRecord[], taskPages, groupsSeen: groups.size, seatsSeen: seats.size }
}
