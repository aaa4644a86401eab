import type { components } from '@laaffic-kit/spec'
import { formatWallClock } from './time.js'

export type TaskRecord = components['schemas']['TaskRecord']

/**
 * The tasks in column form, one slot per *position*; positions are in the default answer
 * order (newest createTime first, ties by taskId descending), so any ascending list of
 * positions is already sorted for paging. Only the filterable columns are stored; the other
 * fields of a generated task are derived from (seed, taskId) when its page is materialised,
 * which keeps a million tasks in a few dozen MB.
 */
export interface TaskStore {
  readonly size: number
  /**
   * Unix seconds, non-increasing by position. Generated stores use 32-bit columns (their times
   * and ids fit), fixture stores 64-bit ones (a record may carry any id).
   */
  readonly createTime: Float64Array | Uint32Array
  readonly taskId: Float64Array | Uint32Array
  readonly taskStatus: Uint8Array
  readonly taskType: Uint8Array
  readonly finishFlag: Uint8Array
  /**
   * Index into `groupSets`: each task's voiceGroupId list, shared between tasks (16-bit in
   * generated stores: they draw from a few dozen sets).
   */
  readonly groupSet: Uint32Array | Uint16Array
  readonly groupSets: readonly (readonly number[])[]
  /** The full 25-field record at a position, createTime printed in the given zone. */
  record(position: number, utcOffsetMinutes: number): TaskRecord
}

export const TASK_STATUSES = [1, 2, 11, 12, 13, 14, 15, 16] as const
/** Statuses whose tasks have never dialled: no finished calls, callFinishCount null. */
const NOT_STARTED = new Set([1, 2, 13, 16])

/** The vendor's example task (the spec's seedResponse), so the seed request finds it. */
export const VENDOR_EXAMPLE_TASK: Readonly<TaskRecord> = Object.freeze({
  taskId: 5000525,
  voiceGroupId: [1000006],
  seatGroupName: '测试基础设置(话机)',
  createTime: '2025-01-10 13:59:18',
  remainCount: 1,
  totalCount: 1,
  remark: null,
  codeName: null,
  ccode: null,
  taskStatus: 15,
  taskType: 1,
  finishFlag: 0,
  completedRate: 0,
  groupTaskId: 5003544,
  transfersNum: 0,
  callFailuresNum: 0,
  callingNumber: null,
  displayNum: null,
  numberTotalCount: '1',
  callFinishCount: null,
  numberSameCount: '0',
  appId: '1000009',
  calloutRate: 1,
  fileName: 'Template_voice_numFiles_cn.xls',
  filePath: '/mnt/cc\\upload\\execl\\202501101359147_A0987lj.xls',
})
/** 2025-01-10 13:59:18 at UTC+8. */
const EXAMPLE_EPOCH = Date.UTC(2025, 0, 10, 5, 59, 18) / 1000

/** The voice applications of a generated world (appIds as preview/query prints them). */
export const VOICE_APPS: readonly { appId: string; appName: string }[] = [
  { appId: '1000009', appName: '群呼转坐席-演示' },
  { appId: '1000012', appName: 'Sales outbound' },
  { appId: '1000015', appName: '回访应用' },
]

/**
 * The generated seat groups, each in one application; every group set below stays within one
 * application, so a task's `appId` is the application of its groups (as the vendor requires).
 */
export const SEAT_GROUPS: readonly { id: number; name: string; appId: string }[] = [
  { id: 1000001, name: '默认坐席组', appId: '1000009' },
  { id: 1000002, name: '销售一组', appId: '1000012' },
  { id: 1000003, name: '销售二组', appId: '1000012' },
  { id: 1000004, name: 'Customer Care EN', appId: '1000009' },
  { id: 1000005, name: '催收小组', appId: '1000012' },
  { id: 1000006, name: '测试基础设置(话机)', appId: '1000009' },
  { id: 1000007, name: 'Outbound PH', appId: '1000009' },
  { id: 1000008, name: '回访小组', appId: '1000009' },
  { id: 1000009, name: 'VIP 专席', appId: '1000012' },
  { id: 1000010, name: 'Night shift', appId: '1000015' },
  { id: 1000011, name: '问卷调查', appId: '1000015' },
  { id: 1000012, name: 'Equipo MX', appId: '1000015' },
]
const GROUP_NAME = new Map(SEAT_GROUPS.map((g) => [g.id, g.name]))
const GROUP_APP = new Map(SEAT_GROUPS.map((g) => [g.id, g.appId]))

/** Single groups plus a few fixed pairs/triples: a bounded number of group sets keeps the index small. */
const GENERATED_GROUP_SETS: readonly (readonly number[])[] = [
  ...SEAT_GROUPS.map((g) => [g.id]),
  [1000002, 1000003],
  [1000004, 1000007],
  [1000006, 1000007],
  [1000001, 1000008],
  [1000005, 1000009],
  [1000002, 1000003, 1000009],
]
const EXAMPLE_GROUP_SET = 5
/** For each group set, the single-group set of its first group. */
const SINGLE_SET_OF = GENERATED_GROUP_SETS.map((set) => SEAT_GROUPS.findIndex((g) => g.id === set[0]))

export const COUNTRIES: readonly [string, string][] = [
  ['86', '中国'],
  ['63', '菲律宾'],
  ['62', '印度尼西亚'],
  ['84', '越南'],
  ['66', '泰国'],
  ['55', 'Brazil'],
  ['52', 'Mexico'],
  ['234', 'Nigeria'],
]
const REMARKS = ['回访', '新年活动通知', 'payment reminder', '测试任务', '满意度调查', 'promo batch']

/** mulberry32: tiny, fast and good enough for fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function pick<T>(items: readonly T[], r: number): T {
  return items[Math.min(items.length - 1, Math.floor(r * items.length))] as T
}

export interface GenerateOptions {
  tasks: number
  seed: number
  /** Put the vendor's example task 5000525 in the data (default true when tasks ≥ 1). */
  includeExample?: boolean
}

// createTime spans 2024-07-01 .. 2025-06-30 (UTC+8); 40 % land in the seed request's range.
const SPAN_START = Date.UTC(2024, 5, 30, 16) / 1000
const SPAN_END = Date.UTC(2025, 5, 30, 16) / 1000
const HOT_START = Date.UTC(2025, 0, 9, 16) / 1000
const HOT_END = Date.UTC(2025, 1, 10, 16) / 1000

const STATUS_WEIGHTS: readonly [number, number][] = [
  [12, 0.34],
  [11, 0.1],
  [15, 0.1],
  [14, 0.08],
  [1, 0.12],
  [2, 0.07],
  [13, 0.12],
  [16, 0.07],
]

/** Deterministic tasks for a seed: same seed, same data. Runs in about a second for 1M tasks. */
export function generateDataset(options: GenerateOptions): TaskStore {
  const n = options.tasks
  const seed = options.seed >>> 0
  const withExample = (options.includeExample ?? true) && n > 0
  const rand = prng(seed)
  // 32-bit columns, and the sorted times become createTime in place: with 64-bit ones and a
  // temporary copy, 1M tasks held 8 MB more and freed 8 MB more, which glibc kept for the
  // process (the mock's RSS after its setup: see the task-scale benchmark).
  const times = new Uint32Array(n)
  const hotShare = 0.4
  for (let i = 0; i < n; i++) {
    let t =
      rand() < hotShare
        ? HOT_START + Math.floor(rand() * (HOT_END - HOT_START))
        : SPAN_START + Math.floor(rand() * (SPAN_END - SPAN_START))
    // Nobody shares the example's second, so its out-of-sequence id cannot break tie order.
    if (t === EXAMPLE_EPOCH) t++
    times[i] = t
  }
  if (withExample) times[0] = EXAMPLE_EPOCH
  times.sort()
  // Ascending index i → position n-1-i gives newest-first with ties by id descending.
  const createTime = times.reverse()
  const taskId = new Uint32Array(n)
  const taskStatus = new Uint8Array(n)
  const taskType = new Uint8Array(n)
  const finishFlag = new Uint8Array(n)
  const groupSet = new Uint16Array(n)
  const cumulative: number[] = []
  let acc = 0
  for (const [, w] of STATUS_WEIGHTS) {
    acc += w
    cumulative.push(acc)
  }
  let nextId = 4_100_000 + Math.floor(rand() * 1000)
  let exampleSeen = !withExample
  for (let i = 0; i < n; i++) {
    const pos = n - 1 - i
    const t = createTime[pos] as number
    if (!exampleSeen && t === EXAMPLE_EPOCH) {
      exampleSeen = true
      taskId[pos] = VENDOR_EXAMPLE_TASK.taskId
      taskStatus[pos] = VENDOR_EXAMPLE_TASK.taskStatus
      taskType[pos] = VENDOR_EXAMPLE_TASK.taskType
      finishFlag[pos] = VENDOR_EXAMPLE_TASK.finishFlag
      groupSet[pos] = EXAMPLE_GROUP_SET
      continue
    }
    nextId += 1 + Math.floor(rand() * 3)
    if (nextId === VENDOR_EXAMPLE_TASK.taskId) nextId++
    taskId[pos] = nextId
    const r = rand()
    let s = 0
    while (s < cumulative.length - 1 && r >= (cumulative[s] as number)) s++
    const status = (STATUS_WEIGHTS[s] as [number, number])[0]
    taskStatus[pos] = status
    finishFlag[pos] = status === 12 ? 1 : 0
    taskType[pos] = rand() < 0.6 ? 1 : 0
    const g = rand()
    const set =
      g < 0.85
        ? Math.floor(rand() * SEAT_GROUPS.length)
        : SEAT_GROUPS.length + Math.floor(rand() * (GENERATED_GROUP_SETS.length - SEAT_GROUPS.length))
    // A group call has exactly one group (submitTask's rule): a multi-group draw keeps its first.
    groupSet[pos] = taskType[pos] === 1 ? (SINGLE_SET_OF[set] as number) : set
  }
  return {
    size: n,
    createTime,
    taskId,
    taskStatus,
    taskType,
    finishFlag,
    groupSet,
    groupSets: GENERATED_GROUP_SETS,
    record(position, utcOffsetMinutes) {
      const id = taskId[position] as number
      if (withExample && id === VENDOR_EXAMPLE_TASK.taskId) {
        return {
          ...VENDOR_EXAMPLE_TASK,
          voiceGroupId: [...VENDOR_EXAMPLE_TASK.voiceGroupId],
          createTime: formatWallClock(EXAMPLE_EPOCH, utcOffsetMinutes),
        }
      }
      return deriveRecord(
        seed,
        id,
        createTime[position] as number,
        taskStatus[position] as number,
        taskType[position] as number,
        finishFlag[position] as number,
        GENERATED_GROUP_SETS[groupSet[position] as number] ?? [],
        utcOffsetMinutes,
      )
    },
  }
}

/** The non-indexed fields of a generated task, derived from (seed, taskId) so they are stable. */
function deriveRecord(
  seed: number,
  taskId: number,
  epoch: number,
  status: number,
  type: number,
  finish: number,
  groups: readonly number[],
  utcOffsetMinutes: number,
): TaskRecord {
  const r = prng(mix(seed, taskId))
  const totalCount = Math.max(1, Math.floor(Math.exp(r() * Math.log(20000))))
  const same = r() < 0.5 ? 0 : Math.floor(r() * totalCount * 0.05)
  let finished: number
  if (status === 12) finished = totalCount
  else if (NOT_STARTED.has(status)) finished = 0
  else finished = Math.floor(r() * totalCount)
  const transfers = type === 1 ? Math.floor(finished * r() * 0.4) : 0
  const failures = Math.floor((finished - transfers) * r() * 0.3)
  const hasCountry = r() >= 0.3
  const country = pick(COUNTRIES, r())
  const hasCaller = r() >= 0.4
  const caller = `${country[0]}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`
  const created = formatWallClock(epoch, 480).replace(/[-: ]/g, '')
  const fileToken = Math.floor(r() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')
  const template = r() < 0.3
  return {
    taskId,
    voiceGroupId: [...groups],
    seatGroupName: groups.map((g) => GROUP_NAME.get(g) ?? `group ${g}`).join(','),
    createTime: formatWallClock(epoch, utcOffsetMinutes),
    remainCount: totalCount - finished,
    totalCount,
    remark: r() < 0.6 ? null : pick(REMARKS, r()),
    ccode: hasCountry ? country[0] : null,
    codeName: hasCountry ? country[1] : null,
    taskStatus: status as TaskRecord['taskStatus'],
    taskType: type as TaskRecord['taskType'],
    finishFlag: finish as TaskRecord['finishFlag'],
    completedRate: Math.round((finished / totalCount) * 10000) / 100,
    groupTaskId: taskId + 3019,
    transfersNum: transfers,
    callFailuresNum: failures,
    callingNumber: hasCaller ? caller : null,
    displayNum: hasCaller ? caller : null,
    numberTotalCount: String(totalCount + same),
    callFinishCount: NOT_STARTED.has(status) ? null : finished,
    numberSameCount: String(same),
    appId: appOf(groups, r()),
    calloutRate: 1 + Math.floor(r() * 3),
    fileName: template ? 'Template_voice_numFiles_cn.xls' : `task_${created.slice(0, 8)}_${fileToken}.xlsx`,
    filePath: `/mnt/cc\\upload\\execl\\${created}${Math.floor(r() * 1000)}_${fileToken}.xls`,
  }
}

/**
 * The application of a task's groups. `_draw` is the PRNG value that once picked a random
 * appId: it is still drawn so every later field keeps its value for a seed.
 */
function appOf(groups: readonly number[], _draw: number): string {
  return GROUP_APP.get(groups[0] as number) ?? (VOICE_APPS[0] as { appId: string }).appId
}

/**
 * A store over given records (fixtures). Records must already be valid TaskRecords with
 * createTime parsed to `epochs` (the caller validates and reports bad records).
 */
export function storeFromRecords(records: readonly TaskRecord[], epochs: readonly number[]): TaskStore {
  const n = records.length
  const order = Array.from({ length: n }, (_, i) => i)
  order.sort((a, b) => {
    const ta = epochs[a] as number
    const tb = epochs[b] as number
    if (ta !== tb) return tb - ta
    return (records[b] as TaskRecord).taskId - (records[a] as TaskRecord).taskId
  })
  const createTime = new Float64Array(n)
  const taskId = new Float64Array(n)
  const taskStatus = new Uint8Array(n)
  const taskType = new Uint8Array(n)
  const finishFlag = new Uint8Array(n)
  const groupSet = new Uint32Array(n)
  const groupSets: number[][] = []
  const setIndex = new Map<string, number>()
  const sorted: TaskRecord[] = []
  order.forEach((src, pos) => {
    const rec = records[src] as TaskRecord
    sorted.push(rec)
    createTime[pos] = epochs[src] as number
    taskId[pos] = rec.taskId
    taskStatus[pos] = rec.taskStatus
    taskType[pos] = rec.taskType
    finishFlag[pos] = rec.finishFlag
    const key = [...new Set(rec.voiceGroupId)].sort((a, b) => a - b).join(',')
    let idx = setIndex.get(key)
    if (idx === undefined) {
      idx = groupSets.length
      groupSets.push(key === '' ? [] : key.split(',').map(Number))
      setIndex.set(key, idx)
    }
    groupSet[pos] = idx
  })
  return {
    size: n,
    createTime,
    taskId,
    taskStatus,
    taskType,
    finishFlag,
    groupSet,
    groupSets,
    record(position, utcOffsetMinutes) {
      const rec = sorted[position] as TaskRecord
      return {
        ...rec,
        voiceGroupId: [...rec.voiceGroupId],
        createTime: formatWallClock(createTime[position] as number, utcOffsetMinutes),
      }
    },
  }
}
