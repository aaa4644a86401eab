/**
 * What the agent-task benchmarks (submit-task, task-scale) need from the mock, through its public
 * endpoints only (over HTTP or in process via `app.fetch`): upload a number file, find a seat group
 * with its application for a group call, and the submitTask bodies. Nothing here reaches into the
 * mock's state, so the benchmarks keep working while its task storage changes.
 */
import type { FetchApp } from './mock-app.js'

const MOCK_MODULE = '@laaffic-kit/mock-server'

export const UPLOAD_PATH = '/v3/cc/preview/upload'
export const SUBMIT_PATH = '/v3/cc/preview/submitTask'
export const SEAT_QUERY_PATH = '/v3/cc/seat/query'

export interface Envelope {
  status: number
  reason?: string
  data?: unknown
}

/** One signed vendor call: path and JSON body in, parsed envelope out. */
export type Send = (path: string, body: unknown) => Promise<Envelope>

/** `send` in process: a signed POST through the app's `fetch`, the answer's envelope parsed. */
export function inProcessSender(app: FetchApp, headers: Record<string, string>): Send {
  return async (path, body) => {
    const res = await app.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    )
    return JSON.parse(await res.text()) as Envelope
  }
}

/** `send` over HTTP (fetch, keep-alive): a signed POST to `url` + path; rejects unless HTTP 2xx. */
export function httpSender(url: string, headers: Record<string, string>): Send {
  return async (path, body) => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${text.slice(0, 300)}`)
    return JSON.parse(text) as Envelope
  }
}

/** Rows of the number file the benchmarks submit: 100 distinct numbers (10 min at the default type-0 rate). */
export const FILE_ROWS = 100
export const FILE_NAME = 'numbers.xls'

/** task-scale's two queries that select the API tasks (their names in its results). */
export const STATUS_16 = 'taskStatus [16] (runtime tasks submitting)'
export const STATUS_12_AFTER = 'taskStatus [12] after the clock moved 3 days (runtime tasks completed)'

type WriteNumberFile = (rows: readonly string[], o: { format: 'xls' | 'xlsx'; header?: string }) => Uint8Array

/** The mock's own writer (public export), loaded lazily like the app (see mock-app.ts). */
async function writeNumberFile(): Promise<WriteNumberFile> {
  const mod = (await import(MOCK_MODULE)) as { writeNumberFile?: WriteNumberFile }
  if (typeof mod.writeNumberFile !== 'function') throw new Error('the mock does not export writeNumberFile')
  return mod.writeNumberFile
}

export function expectOk(what: string, e: Envelope): Envelope {
  if (e.status !== 0) throw new Error(`${what}: status ${e.status} ${JSON.stringify(e).slice(0, 300)}`)
  return e
}

/** Uploads a `.xls` of `rows` numbers with a header row (the vendor's template is .xls). */
export async function uploadNumbers(send: Send, rows = FILE_ROWS): Promise<{ filePath: string; ms: number }> {
  const write = await writeNumberFile()
  const numbers = Array.from({ length: rows }, (_, i) => `86138${String(i).padStart(8, '0')}`)
  const file = Buffer.from(write(numbers, { format: 'xls', header: '号码' })).toString('base64')
  const t0 = performance.now()
  const res = expectOk('preview/upload', await send(UPLOAD_PATH, { fileName: FILE_NAME, file }))
  const ms = performance.now() - t0
  const filePath = (res.data as { filePath?: unknown } | undefined)?.filePath
  if (typeof filePath !== 'string')
    throw new Error(`preview/upload returned no filePath: ${JSON.stringify(res)}`)
  return { filePath, ms }
}

export interface GroupTarget {
  voiceGroupId: number
  appId: string
}

/**
 * Seat groups with the application each belongs to (a type-1 task needs both), read from the
 * first seats of seat/query (a seat shows its group's appId).
 */
export async function groupTargets(send: Send, max = 4): Promise<GroupTarget[]> {
  const res = expectOk(
    'seat/query',
    await send(SEAT_QUERY_PATH, {
      current: 1,
      size: 100,
      params: { strTime: '2025-01-01 00:00:00', endTime: '2025-01-02 00:00:00' },
    }),
  )
  const records =
    (res.data as { records?: { voiceGroupId: number; appId: string }[] } | undefined)?.records ?? []
  const out = new Map<number, GroupTarget>()
  for (const r of records) {
    if (out.size >= max) break
    if (typeof r.voiceGroupId === 'number' && typeof r.appId === 'string')
      out.set(r.voiceGroupId, { voiceGroupId: r.voiceGroupId, appId: r.appId })
  }
  if (out.size === 0) throw new Error('seat/query found no seat to take a group from')
  return [...out.values()]
}

/** submitTask bodies: type 0 (automatic call, no group) and type 1 (group call: one group, its app, calloutRate). */
export function submitBody(filePath: string, type: 0 | 1, group?: GroupTarget): string {
  if (type === 0) return JSON.stringify({ filePath, fileName: FILE_NAME, type: 0 })
  if (!group) throw new Error('a type-1 task needs a group')
  return JSON.stringify({
    filePath,
    fileName: FILE_NAME,
    type: 1,
    voiceGroupId: [group.voiceGroupId],
    appId: group.appId,
    calloutRate: 1,
  })
}
