import { inspect } from 'node:util'
import { vi } from 'vitest'
import {
  createLaafficClient,
  type LaafficClientOptions,
  type Logger,
  type SeatGroupRecord,
  type SeatRecord,
  type TaskPage,
  type TaskRecord,
} from '../src/index.js'

export const KEY = 'bDqJFiq9'
export const SECRET = '7bz1lzh9'

export function record(taskId: number, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId,
    voiceGroupId: [1],
    seatGroupName: 'group',
    createTime: '2025-01-10 10:00:00',
    remainCount: 0,
    totalCount: 1,
    remark: null,
    ccode: '86',
    codeName: 'China',
    taskStatus: 12,
    taskType: 0,
    finishFlag: 1,
    completedRate: 0,
    groupTaskId: taskId,
    transfersNum: 0,
    callFailuresNum: 0,
    callingNumber: null,
    displayNum: null,
    numberTotalCount: '1',
    callFinishCount: null,
    numberSameCount: '0',
    appId: '1000009',
    calloutRate: 1,
    fileName: 'numbers.xlsx',
    filePath: '/mnt/cc/upload/numbers.xlsx',
    ...overrides,
  }
}

export function page(records: TaskRecord[], over: Partial<TaskPage> = {}): TaskPage {
  return {
    total: records.length,
    size: 15,
    current: 1,
    pages: records.length ? 1 : 0,
    searchCount: true,
    records,
    ...over,
  }
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
  })
}

export const ok = (data: TaskPage = page([record(1)]), status: string | number = 0) =>
  json({ status, reason: 'success', data })
export const fail = (status: string | number, reason = 'nope', headers: Record<string, string> = {}) =>
  json({ status, reason, data: null }, { headers })

/** A fetch stub that answers from a queue and records every request it saw (cloned). */
export function stubFetch(
  ...answers: Array<Response | Error | ((req: Request) => Response | Promise<Response>)>
) {
  const requests: Request[] = []
  const fn = vi.fn(async (req: Request) => {
    requests.push(req.clone())
    const next = answers.length > 1 ? answers.shift() : answers[0]
    if (next === undefined) throw new Error('stub: no answer queued')
    if (next instanceof Error) throw next
    if (typeof next === 'function') return next(req)
    return next.clone()
  })
  return { fetch: fn, requests }
}

/** A sleep that records the delays and returns at once. */
export function recordingSleep() {
  const delays: number[] = []
  const sleep = vi.fn(async (ms: number) => {
    delays.push(ms)
  })
  return { sleep, delays }
}

export function client(options: Partial<LaafficClientOptions> = {}) {
  return createLaafficClient({ apiKey: KEY, apiSecret: SECRET, random: () => 0, ...options })
}

/** A success envelope with any `data` (the vendor prints `status` as the string "0" on most cc pages). */
export const okData = (data: unknown, status: string | number = '0') =>
  json({ status, reason: 'success', data })

export function seatRecord(keyId: number, overrides: Partial<SeatRecord> = {}): SeatRecord {
  return {
    keyId,
    empNo: `E${keyId}`,
    petName: null,
    name: `seat-${keyId}`,
    appId: '1000009',
    deleteFlag: 0,
    enable: 0,
    priority: 1,
    voiceGroupId: 5005421,
    groupName: 'sipGroup',
    account: `0705C245_${String(keyId).padStart(3, '0')}`,
    password: `Pw${keyId}xQ7z`,
    createTime: '2025-01-10 10:00:00',
    updateTime: null,
    displayNum: '1234',
    ccode: '91',
    status: 2,
    ...overrides,
  }
}

export function seatGroupRecord(
  voiceGroupId: number,
  overrides: Partial<SeatGroupRecord> = {},
): SeatGroupRecord {
  return {
    voiceGroupId,
    callinStrategy: 4,
    countSeat: 2,
    groupName: `group-${voiceGroupId}`,
    appName: 'app',
    ...overrides,
  }
}

/** Every way an error can end up in a log: inspect (hidden fields too), JSON, String, stack, message. */
export function views(err: unknown): string[] {
  const e = err as Error
  return [
    inspect(err, { depth: 12, showHidden: true }),
    JSON.stringify(err),
    String(err),
    e.stack ?? '',
    e.message,
  ]
}

/** A logger that keeps every line it is given, as inspect prints it. */
export function captureLogger() {
  const lines: string[] = []
  const push = (...args: unknown[]) => {
    lines.push(inspect(args, { depth: 10 }))
  }
  const logger: Logger = { debug: vi.fn(push), info: vi.fn(push), warn: vi.fn(push), error: vi.fn(push) }
  return { logger, lines }
}
