import { SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { ipFamily } from './auth.js'

/** The fully resolved settings of one mock instance. */
export interface MockOptions {
  port: number
  host: string
  apiKey: string
  apiSecret: string
  /** Size of the generated dataset (ignored when `data` or `records` is given). */
  tasks: number
  seed: number
  /** Path of a JSON fixture file used instead of generated data. */
  data: string | undefined
  /** Frozen server clock in Unix seconds; undefined follows the real clock. */
  now: number | undefined
  timestampWindow: number
  /** Allowed client addresses/CIDRs; empty allows everyone. */
  allowIp: string[]
  /** Artificial latency range in ms applied to the vendor endpoint. */
  latency: { min: number; max: number } | undefined
  statusType: 'number' | 'string'
  logFormat: 'pretty' | 'json'
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** Zone of `createTime` and of the date filters, in minutes east of UTC. */
  utcOffset: number
  unknownFields: 'reject' | 'ignore'
  overflow: 'empty' | 'first'
  order: 'newest' | 'oldest'
  endDate: 'day-end' | 'day-start'
  groupMatch: 'any' | 'all'
  completedRate: 'number' | 'string'
  signCase: 'any' | 'lower'
  maxBodyBytes: number
  journalSize: number
  /** Where shared state lives: `memory` (this process only) or `redis://host:port[/db]` (every replica on it). */
  stateStore: string
  /** Processes serving one port (node:cluster); more than 1 needs a redis store. */
  workers: number
  /** This replica's name in the journal and request ids; undefined: hostname-pid. */
  replica: string | undefined
  /** `seat/query` as the newer page (strTime/endTime required, call statistics) or the older one. */
  seatQuery: 'range' | 'legacy'
  /** Longest `seat/query` strTime..endTime window in days (the page: "differ by 32 days"). */
  seatQueryMaxDays: number
  /** Status for a group name already used in the application (uniqueness documented, code not). */
  duplicateGroupStatus: number
  /** Status for an unknown voiceGroupId/keyId/appId on pages that document no "does not exist" code. */
  missingIdStatus: number
  /** Live (not deleted) seats one account may have; addSeatList beyond it answers -36. */
  seatQuota: number
  /** Largest number file preview/upload takes, in decoded bytes (-38 beyond). */
  uploadMaxBytes: number
  /** A non-number row after the header: skipped (and not counted) or the whole file is -39. */
  uploadInvalidRows: 'skip' | 'reject'
  /** An .xls name over .xlsx bytes (or the reverse): -39, or read as what the bytes are. */
  uploadContainerMismatch: 'reject' | 'accept'
  /** submitTask/resendTask `data`: the new task id (newer pages) or null (older pages). */
  submitTaskData: 'id' | 'null'
  /** Seconds a new task stays 16 (submitting) before it calls (11). */
  taskStartSeconds: number
  /** Numbers per minute an automatic (type 0) task dials. */
  autoDialRate: number
  /** Numbers per minute a group call dials per enabled seat and per unit of calloutRate. */
  seatDialRate: number
  /** A group call whose group has no enabled seat: dials at autoDialRate, or stalls. */
  idleGroupDialing: 'auto-rate' | 'stall'
  /** Largest calloutRate (submitTask/resendTask -22, editTask -36 beyond). */
  calloutRateMax: number
  /** Task statuses editTask accepts (-41 otherwise). */
  editStatuses: number[]
  /** Task statuses cancelTask accepts (-41 otherwise). */
  cancelStatuses: number[]
  /** Task statuses resendTask accepts (-41 otherwise). */
  resendStatuses: number[]
  /** Which tasks editTask and cancelTask (pages titled "group call to agent") take: any, or type 1 only (-22). */
  editCancelTypes: 'all' | 'group-call'
  /** Applications without a minimum rate: submitTask/resendTask naming them get -77. */
  appsWithoutRate: string[]
  /** Tasks created through the API one account may hold (-23 beyond). */
  taskQuota: number
  /** Seats in the default account's generated world, spread over its seat groups. */
  seats: number
  /** How `seatGroup/query` params.groupName matches a group's name. */
  groupNameMatch: 'contains' | 'exact'
  /** Admin-created accounts alive at once (POST /__admin/accounts beyond it answers 409). */
  maxAccounts: number
  /** Generated tasks of an admin-created account whose request names no size. */
  accountTasks: number
  /** A HAR recording (`laaffic-mock proxy --record`) whose answers are replayed. */
  replay: string | undefined
  /** A request the recording does not hold: the normal mock answers, or "does not exist". */
  replayMiss: 'mock' | 'not-found'
}

/** What callers may pass: any subset, with friendlier shapes for a few fields. */
export type MockOptionsInput = {
  [K in keyof MockOptions]?:
    | MockOptions[K]
    | (K extends
        | 'latency'
        | 'utcOffset'
        | 'allowIp'
        | 'editStatuses'
        | 'cancelStatuses'
        | 'resendStatuses'
        | 'appsWithoutRate'
        ? string
        : never)
} & {
  latency?: MockOptions['latency'] | number | string | undefined
}

/** A bad option value: the CLI prints `message` on one line and exits 2. */
export class OptionError extends Error {
  override name = 'OptionError'
}

export interface OptionDef {
  key: keyof MockOptions
  flag: string
  env: string
  arg: string
  description: string
  defaultText: string
  /**
   * A vendor behaviour the vendor does not document; the default is our guess. Each one has a row
   * in the "Assumptions" table of apps/mock-server/README.md (test/options.test.ts checks both ways).
   */
  assumption?: boolean
  parse(value: unknown): unknown
}

/**
 * An admin-created account may ask for up to this many generated tasks, or for `tasks` (the
 * default account's size) when that is larger: see {@link accountTasksLimit}.
 */
export const ACCOUNT_TASKS_FLOOR = 100_000

/** Most generated tasks an admin-created account may ask for. */
export function accountTasksLimit(options: Pick<MockOptions, 'tasks'>): number {
  return Math.max(options.tasks, ACCOUNT_TASKS_FLOOR)
}

export const show = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v))

function int(min: number, max: number) {
  return (v: unknown): number => {
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new OptionError(`must be an integer between ${min} and ${max} (got ${show(v)})`)
    }
    return n
  }
}

function oneOf<T extends string>(...values: T[]) {
  return (v: unknown): T => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) {
      throw new OptionError(`must be one of ${values.join('|')} (got ${show(v)})`)
    }
    return v as T
  }
}

/** The task statuses of preview/query (REFERENCE.md). */
const TASK_STATUS_VALUES = [1, 2, 11, 12, 13, 14, 15, 16]

/** A comma-separated list (or an array) of task statuses, possibly empty. */
function statusList(v: unknown): number[] {
  const items = typeof v === 'string' ? (v.trim() === '' ? [] : v.split(',').map((x) => x.trim())) : v
  if (!Array.isArray(items))
    throw new OptionError(`must be a comma-separated list of task statuses (got ${show(v)})`)
  const out: number[] = []
  for (const item of items) {
    const n = typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item
    if (typeof n !== 'number' || !TASK_STATUS_VALUES.includes(n)) {
      throw new OptionError(
        `must list task statuses among ${TASK_STATUS_VALUES.join(',')} (got ${show(item)})`,
      )
    }
    if (!out.includes(n)) out.push(n)
  }
  return out.sort((a, b) => a - b)
}

/** A comma-separated list (or an array) of non-empty strings, possibly empty. */
function textList(v: unknown): string[] {
  const items = typeof v === 'string' ? (v.trim() === '' ? [] : v.split(',').map((x) => x.trim())) : v
  if (!Array.isArray(items) || items.some((x) => typeof x !== 'string' || x === '')) {
    throw new OptionError(`must be a comma-separated list of non-empty values (got ${show(v)})`)
  }
  return [...new Set(items as string[])]
}

function text(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0)
    throw new OptionError(`must be a non-empty string (got ${show(v)})`)
  return v
}

/** `memory`, or a `redis://host[:port][/db]` URL (no credentials in it: they would be printed). */
function parseStore(v: unknown): string {
  if (v === 'memory') return v
  const bad = () =>
    new OptionError(
      `must be memory or redis://host:port[/db] (got ${show(typeof v === 'string' ? v.replace(/\/\/[^@/]*@/, '//…@') : v)})`,
    )
  if (typeof v !== 'string' || !v.startsWith('redis://')) throw bad()
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw bad()
  }
  if (
    url.hostname === '' ||
    url.username !== '' ||
    url.password !== '' ||
    !/^(\/\d{0,2})?$/.test(url.pathname) ||
    url.search !== ''
  )
    throw bad()
  return v
}

function parseReplica(v: unknown): string | undefined {
  if (v === undefined || v === '') return undefined
  if (typeof v !== 'string' || !/^[A-Za-z0-9._-]{1,40}$/.test(v))
    throw new OptionError(`must be 1-40 letters, digits, dots, underscores or dashes (got ${show(v)})`)
  return v
}

function parseLatency(v: unknown): MockOptions['latency'] {
  if (v === undefined || v === '' || v === null) return undefined
  if (typeof v === 'object' && v !== null && 'min' in v && 'max' in v) {
    const { min, max } = v as { min: unknown; max: unknown }
    return parseLatency(`${String(min)}-${String(max)}`)
  }
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(String(v))
  const min = m ? Number(m[1]) : Number.NaN
  const max = m?.[2] !== undefined ? Number(m[2]) : min
  if (!m || min > max || max > 600_000) {
    throw new OptionError(`must be milliseconds or a range min-max, at most 600000 (got ${show(v)})`)
  }
  return { min, max }
}

/** Strings `+08:00`, `+8`, `-05:30`, `0` (hours) or a number of minutes → minutes east of UTC. */
function parseUtcOffset(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 14 * 60) return v
  const m = typeof v === 'string' ? /^(?:UTC)?([+-])?(\d{1,2})(?::?(\d{2}))?$/i.exec(v.trim()) : null
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
    if (minutes <= 14 * 60 && Number(m[3] ?? 0) < 60) return m[1] === '-' ? -minutes : minutes
  }
  throw new OptionError(`must be a UTC offset such as +08:00, -05:30 or 0 (got ${show(v)})`)
}

function parseAllowIp(v: unknown): string[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined
  if (!items) throw new OptionError(`must be a comma-separated list of IPs or CIDRs (got ${show(v)})`)
  const out: string[] = []
  for (const raw of items) {
    const item = String(raw).trim()
    if (item === '') continue
    const [addr = '', prefix, extra] = item.split('/')
    const family = ipFamily(addr)
    const max = family === 6 ? 128 : 32
    const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max)
    if (family === 0 || !okPrefix || extra !== undefined) {
      throw new OptionError(`has an invalid IP or CIDR ${show(item)}`)
    }
    out.push(item)
  }
  return out
}

/** Like `text`, but never repeats the value: a mistyped secret is still a secret. */
function secretText(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0)
    throw new OptionError(
      `must be a non-empty string (got ${v === '' ? 'an empty string' : `a ${typeof v}`})`,
    )
  return v
}

function optionalPath(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined
  return text(v)
}

function optionalNow(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined
  return int(0, 253402300799)(v)
}

/** Every option, in `--help` order. Config-file keys are the `key`s. */
export const OPTION_DEFS: readonly OptionDef[] = [
  {
    key: 'port',
    flag: 'port',
    env: 'PORT',
    arg: '<n>',
    description: 'TCP port; 0 picks a free one',
    defaultText: '4010',
    parse: int(0, 65535),
  },
  {
    key: 'host',
    flag: 'host',
    env: 'HOST',
    arg: '<addr>',
    description: 'interface to bind',
    defaultText: '127.0.0.1',
    parse: text,
  },
  {
    key: 'apiKey',
    flag: 'api-key',
    env: 'API_KEY',
    arg: '<key>',
    description: 'accepted Api-Key',
    defaultText: SIGNING_TEST_VECTOR.apiKey,
    parse: text,
  },
  {
    key: 'apiSecret',
    flag: 'api-secret',
    env: 'API_SECRET',
    arg: '<secret>',
    description: 'secret used to check Sign',
    defaultText: SIGNING_TEST_VECTOR.apiSecret,
    parse: secretText,
  },
  {
    key: 'tasks',
    flag: 'tasks',
    env: 'TASKS',
    arg: '<n>',
    description: 'size of the generated dataset',
    defaultText: '237',
    parse: int(0, 5_000_000),
  },
  {
    key: 'seed',
    flag: 'seed',
    env: 'SEED',
    arg: '<n>',
    description: 'seed of the generated dataset',
    defaultText: '20250110',
    parse: int(0, 2 ** 32 - 1),
  },
  {
    key: 'seats',
    flag: 'seats',
    env: 'SEATS',
    arg: '<n>',
    description: "seats in the default account's generated world (spread over its seat groups)",
    defaultText: '48',
    parse: int(0, 1_000_000),
  },
  {
    key: 'accountTasks',
    flag: 'account-tasks',
    env: 'ACCOUNT_TASKS',
    arg: '<n>',
    description: `tasks of an admin-created account when its request names none (a request may ask up to the larger of --tasks and ${ACCOUNT_TASKS_FLOOR})`,
    defaultText: '1000',
    parse: int(0, 5_000_000),
  },
  {
    key: 'maxAccounts',
    flag: 'max-accounts',
    env: 'MAX_ACCOUNTS',
    arg: '<n>',
    description: 'admin-created accounts alive at once (POST /__admin/accounts beyond it gets 409)',
    defaultText: '100',
    parse: int(0, 10_000),
  },
  {
    key: 'data',
    flag: 'data',
    env: 'DATA',
    arg: '<file.json>',
    description: 'fixture records (array, {records} or an envelope) instead of generated data',
    defaultText: '(generated)',
    parse: optionalPath,
  },
  {
    key: 'replay',
    flag: 'replay',
    env: 'REPLAY',
    arg: '<file.har>',
    description: 'answer requests recorded by `laaffic-mock proxy --record` with the recorded answer',
    defaultText: '(off)',
    parse: optionalPath,
  },
  {
    key: 'replayMiss',
    flag: 'replay-miss',
    env: 'REPLAY_MISS',
    arg: 'mock|not-found',
    description:
      'a request --replay does not hold: the normal mock, or -24 (HTTP 404 where -24 is not listed)',
    defaultText: 'mock',
    parse: oneOf('mock', 'not-found'),
  },
  {
    key: 'now',
    flag: 'now',
    env: 'NOW',
    arg: '<unix-s>',
    description: 'freeze the server clock at this Unix time',
    defaultText: '(real clock)',
    parse: optionalNow,
  },
  {
    key: 'timestampWindow',
    flag: 'timestamp-window',
    env: 'TIMESTAMP_WINDOW',
    arg: '<s>',
    description: 'max |Timestamp - now| before -16',
    defaultText: '300',
    assumption: true,
    parse: int(0, 10 ** 10),
  },
  {
    key: 'allowIp',
    flag: 'allow-ip',
    env: 'ALLOW_IP',
    arg: '<ip/cidr,...>',
    description: 'client allowlist, others get -2',
    defaultText: '(all)',
    parse: parseAllowIp,
  },
  {
    key: 'latency',
    flag: 'latency',
    env: 'LATENCY',
    arg: '<ms|min-max>',
    description: 'artificial latency of the vendor endpoint',
    defaultText: '0',
    parse: parseLatency,
  },
  {
    key: 'statusType',
    flag: 'status-type',
    env: 'STATUS_TYPE',
    arg: 'number|string',
    description: 'print status as 0 or "0"',
    defaultText: 'number',
    parse: oneOf('number', 'string'),
  },
  {
    key: 'logFormat',
    flag: 'log-format',
    env: 'LOG_FORMAT',
    arg: 'pretty|json',
    description: 'log line format',
    defaultText: 'pretty',
    parse: oneOf('pretty', 'json'),
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'LOG_LEVEL',
    arg: '<level>',
    description: 'debug|info|warn|error|silent (access log is info)',
    defaultText: 'info',
    parse: oneOf('debug', 'info', 'warn', 'error', 'silent'),
  },
  {
    key: 'utcOffset',
    flag: 'utc-offset',
    env: 'UTC_OFFSET',
    arg: '<±hh:mm>',
    description: 'zone of createTime and date filters',
    defaultText: '+08:00',
    assumption: true,
    parse: parseUtcOffset,
  },
  {
    key: 'unknownFields',
    flag: 'unknown-fields',
    env: 'UNKNOWN_FIELDS',
    arg: 'reject|ignore',
    description: 'unknown body fields: -22 or ignored',
    defaultText: 'reject',
    assumption: true,
    parse: oneOf('reject', 'ignore'),
  },
  {
    key: 'overflow',
    flag: 'overflow',
    env: 'OVERFLOW',
    arg: 'empty|first',
    description: 'page past the end: empty records, or page 1 (MyBatis-Plus overflow=true)',
    defaultText: 'empty',
    assumption: true,
    parse: oneOf('empty', 'first'),
  },
  {
    key: 'order',
    flag: 'order',
    env: 'ORDER',
    arg: 'newest|oldest',
    description: 'record order (by createTime, ties by taskId)',
    defaultText: 'newest',
    assumption: true,
    parse: oneOf('newest', 'oldest'),
  },
  {
    key: 'endDate',
    flag: 'end-date',
    env: 'END_DATE',
    arg: 'day-end|day-start',
    description: 'a date-only endTime means 23:59:59 or 00:00:00 of that day',
    defaultText: 'day-end',
    assumption: true,
    parse: oneOf('day-end', 'day-start'),
  },
  {
    key: 'groupMatch',
    flag: 'group-match',
    env: 'GROUP_MATCH',
    arg: 'any|all',
    description: 'voiceGroupIds matches tasks with any / all of the ids',
    defaultText: 'any',
    assumption: true,
    parse: oneOf('any', 'all'),
  },
  {
    key: 'completedRate',
    flag: 'completed-rate',
    env: 'COMPLETED_RATE',
    arg: 'number|string',
    description: 'print completedRate as 12.5 or "12.5"',
    defaultText: 'number',
    assumption: true,
    parse: oneOf('number', 'string'),
  },
  {
    key: 'signCase',
    flag: 'sign-case',
    env: 'SIGN_CASE',
    arg: 'any|lower',
    description: 'accept upper-case hex in Sign, or only lower case',
    defaultText: 'any',
    assumption: true,
    parse: oneOf('any', 'lower'),
  },
  {
    key: 'maxBodyBytes',
    flag: 'max-body-bytes',
    env: 'MAX_BODY_BYTES',
    arg: '<n>',
    description: 'larger bodies get -22',
    defaultText: '65536',
    assumption: true,
    parse: int(1, 64 * 1024 * 1024),
  },
  {
    key: 'seatQuery',
    flag: 'seat-query',
    env: 'SEAT_QUERY',
    arg: 'range|legacy',
    description:
      'seat/query: newer page (params.strTime/endTime required, call statistics) or older one (neither)',
    defaultText: 'range',
    assumption: true,
    parse: oneOf('range', 'legacy'),
  },
  {
    key: 'seatQueryMaxDays',
    flag: 'seat-query-max-days',
    env: 'SEAT_QUERY_MAX_DAYS',
    arg: '<days>',
    description: 'longest seat/query strTime..endTime window ("differ by 32 days" read as at most)',
    defaultText: '32',
    assumption: true,
    parse: int(1, 366),
  },
  {
    key: 'groupNameMatch',
    flag: 'group-name-match',
    env: 'GROUP_NAME_MATCH',
    arg: 'contains|exact',
    description: 'how seatGroup/query params.groupName matches a group name',
    defaultText: 'contains',
    assumption: true,
    parse: oneOf('contains', 'exact'),
  },
  {
    key: 'duplicateGroupStatus',
    flag: 'duplicate-group-status',
    env: 'DUPLICATE_GROUP_STATUS',
    arg: '<code>',
    description: 'status for a group name already used in the application (-20 data already exists)',
    defaultText: '-20',
    assumption: true,
    parse: int(-999, -1),
  },
  {
    key: 'missingIdStatus',
    flag: 'missing-id-status',
    env: 'MISSING_ID_STATUS',
    arg: '<code>',
    description:
      'status for an unknown voiceGroupId/keyId/appId where the page lists no "does not exist" code (deleteGroup: always -24)',
    defaultText: '-22',
    assumption: true,
    parse: int(-999, -1),
  },
  {
    key: 'seatQuota',
    flag: 'seat-quota',
    env: 'SEAT_QUOTA',
    arg: '<n>',
    description: 'live (not deleted) seats one account may have; addSeatList beyond it gets -36',
    defaultText: '500',
    assumption: true,
    parse: int(0, 1_000_000),
  },
  {
    key: 'uploadMaxBytes',
    flag: 'upload-max-bytes',
    env: 'UPLOAD_MAX_BYTES',
    arg: '<n>',
    description: 'largest number file preview/upload takes (decoded bytes); larger gets -38',
    defaultText: '10485760',
    assumption: true,
    parse: int(1024, 100 * 1024 * 1024),
  },
  {
    key: 'uploadInvalidRows',
    flag: 'upload-invalid-rows',
    env: 'UPLOAD_INVALID_ROWS',
    arg: 'skip|reject',
    description: 'a row after the header that is not a phone number: skipped, or the file gets -39',
    defaultText: 'skip',
    assumption: true,
    parse: oneOf('skip', 'reject'),
  },
  {
    key: 'uploadContainerMismatch',
    flag: 'upload-container-mismatch',
    env: 'UPLOAD_CONTAINER_MISMATCH',
    arg: 'reject|accept',
    description: 'an .xls name over .xlsx bytes (or the reverse): -39, or read as what the bytes are',
    defaultText: 'reject',
    assumption: true,
    parse: oneOf('reject', 'accept'),
  },
  {
    key: 'submitTaskData',
    flag: 'submit-task-data',
    env: 'SUBMIT_TASK_DATA',
    arg: 'id|null',
    description: 'submitTask/resendTask data: the new task id (newer pages) or null (older pages)',
    defaultText: 'id',
    assumption: true,
    parse: oneOf('id', 'null'),
  },
  {
    key: 'taskStartSeconds',
    flag: 'task-start-seconds',
    env: 'TASK_START_SECONDS',
    arg: '<s>',
    description: 'mock-clock seconds a new task stays 16 (submitting) before it calls (11)',
    defaultText: '30',
    assumption: true,
    parse: int(0, 86_400),
  },
  {
    key: 'autoDialRate',
    flag: 'auto-dial-rate',
    env: 'AUTO_DIAL_RATE',
    arg: '<n>',
    description: 'numbers per minute an automatic (type 0) task dials',
    defaultText: '10',
    assumption: true,
    parse: int(1, 1_000_000),
  },
  {
    key: 'seatDialRate',
    flag: 'seat-dial-rate',
    env: 'SEAT_DIAL_RATE',
    arg: '<n>',
    description: 'numbers per minute a group call (type 1) dials per enabled seat and unit of calloutRate',
    defaultText: '2',
    assumption: true,
    parse: int(1, 1_000_000),
  },
  {
    key: 'idleGroupDialing',
    flag: 'idle-group-dialing',
    env: 'IDLE_GROUP_DIALING',
    arg: 'auto-rate|stall',
    description: 'a group call whose group has no enabled seat: dials at --auto-dial-rate, or stalls',
    defaultText: 'auto-rate',
    assumption: true,
    parse: oneOf('auto-rate', 'stall'),
  },
  {
    key: 'calloutRateMax',
    flag: 'callout-rate-max',
    env: 'CALLOUT_RATE_MAX',
    arg: '<n>',
    description: 'largest calloutRate: submitTask/resendTask -22, editTask -36 beyond',
    defaultText: '10',
    assumption: true,
    parse: int(1, 1000),
  },
  {
    key: 'editStatuses',
    flag: 'edit-statuses',
    env: 'EDIT_STATUSES',
    arg: '<list>',
    description: 'task statuses editTask accepts; others get -41',
    defaultText: '1,2,11,15,16',
    assumption: true,
    parse: statusList,
  },
  {
    key: 'cancelStatuses',
    flag: 'cancel-statuses',
    env: 'CANCEL_STATUSES',
    arg: '<list>',
    description: 'task statuses cancelTask accepts; others get -41',
    defaultText: '1,2,11,15,16',
    assumption: true,
    parse: statusList,
  },
  {
    key: 'resendStatuses',
    flag: 'resend-statuses',
    env: 'RESEND_STATUSES',
    arg: '<list>',
    description: 'task statuses resendTask accepts; others get -41',
    defaultText: '12,13,14',
    assumption: true,
    parse: statusList,
  },
  {
    key: 'editCancelTypes',
    flag: 'edit-cancel-types',
    env: 'EDIT_CANCEL_TYPES',
    arg: 'all|group-call',
    description:
      'which tasks editTask/cancelTask take: any type, or group calls (type 1) only, -22 for others',
    defaultText: 'all',
    assumption: true,
    parse: oneOf('all', 'group-call'),
  },
  {
    key: 'appsWithoutRate',
    flag: 'apps-without-rate',
    env: 'APPS_WITHOUT_RATE',
    arg: '<appIds>',
    description: 'applications with no minimum rate: submitTask/resendTask naming them get -77',
    defaultText: '(none)',
    assumption: true,
    parse: textList,
  },
  {
    key: 'taskQuota',
    flag: 'task-quota',
    env: 'TASK_QUOTA',
    arg: '<n>',
    description:
      'tasks created through the API one account may hold; submitTask/resendTask beyond it get -23',
    defaultText: '200000',
    assumption: true,
    parse: int(0, 1_000_000),
  },
  {
    key: 'journalSize',
    flag: 'journal-size',
    env: 'JOURNAL_SIZE',
    arg: '<n>',
    description: 'request journal ring-buffer size (text: 2 KiB an entry, 64 MiB at most)',
    defaultText: '1000',
    parse: int(0, 1_000_000),
  },
  {
    key: 'stateStore',
    flag: 'store',
    env: 'STORE',
    arg: 'memory|redis://host:port[/db]',
    description:
      'shared state: this process only, or a Redis every replica uses (writes, accounts, scenarios, clock, journal)',
    defaultText: 'memory',
    parse: parseStore,
  },
  {
    key: 'workers',
    flag: 'workers',
    env: 'WORKERS',
    arg: '<n>',
    description:
      'worker processes on one port (node:cluster), each a replica; more than 1 needs --store redis://…',
    defaultText: '1',
    parse: int(1, 64),
  },
  {
    key: 'replica',
    flag: 'replica',
    env: 'REPLICA',
    arg: '<name>',
    description:
      "this replica's name in the journal and in X-Request-Id (letters, digits, . _ -; at most 40)",
    defaultText: '(hostname-pid)',
    parse: parseReplica,
  },
]

export const DEFAULT_OPTIONS: Readonly<MockOptions> = Object.freeze({
  port: 4010,
  host: '127.0.0.1',
  apiKey: SIGNING_TEST_VECTOR.apiKey,
  apiSecret: SIGNING_TEST_VECTOR.apiSecret,
  tasks: 237,
  seed: 20250110,
  data: undefined,
  now: undefined,
  timestampWindow: 300,
  allowIp: [],
  latency: undefined,
  statusType: 'number',
  logFormat: 'pretty',
  logLevel: 'info',
  utcOffset: 480,
  unknownFields: 'reject',
  overflow: 'empty',
  order: 'newest',
  endDate: 'day-end',
  groupMatch: 'any',
  completedRate: 'number',
  signCase: 'any',
  maxBodyBytes: 65536,
  journalSize: 1000,
  stateStore: 'memory',
  workers: 1,
  replica: undefined,
  seatQuery: 'range',
  seatQueryMaxDays: 32,
  duplicateGroupStatus: -20,
  missingIdStatus: -22,
  seatQuota: 500,
  uploadMaxBytes: 10 * 1024 * 1024,
  uploadInvalidRows: 'skip',
  uploadContainerMismatch: 'reject',
  submitTaskData: 'id',
  taskStartSeconds: 30,
  autoDialRate: 10,
  seatDialRate: 2,
  idleGroupDialing: 'auto-rate',
  calloutRateMax: 10,
  editStatuses: [1, 2, 11, 15, 16],
  cancelStatuses: [1, 2, 11, 15, 16],
  resendStatuses: [12, 13, 14],
  editCancelTypes: 'all',
  appsWithoutRate: [],
  taskQuota: 200_000,
  seats: 48,
  groupNameMatch: 'contains',
  maxAccounts: 100,
  accountTasks: 1000,
  replay: undefined,
  replayMiss: 'mock',
})

const byKey = new Map(OPTION_DEFS.map((d) => [d.key as string, d]))

/** The definition of an option key (config files name options by key). */
export const optionDef = (key: string): OptionDef | undefined => byKey.get(key)

/** Validates a partial set of options (from code or a config file) and fills the defaults. */
export function resolveOptions(
  input: MockOptionsInput | Record<string, unknown> = {},
  origin = 'option',
): MockOptions {
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS, allowIp: [] }
  for (const [key, value] of Object.entries(input)) {
    const def = byKey.get(key)
    if (!def) throw new OptionError(`unknown ${origin} ${show(key)}`)
    if (value === undefined) continue
    out[key] = parseWith(def, value, origin === 'option' ? key : `${origin} ${key}`)
  }
  const options = out as unknown as MockOptions
  // The default an account gets must be a size an account may ask for.
  if (options.accountTasks > accountTasksLimit(options)) {
    throw new OptionError(
      `accountTasks (--account-tasks) must be at most ${accountTasksLimit(options)}, the larger of tasks (--tasks) and ${ACCOUNT_TASKS_FLOOR} (got ${options.accountTasks})`,
    )
  }
  return options
}

export function parseWith(def: OptionDef, value: unknown, label: string): unknown {
  try {
    return def.parse(value)
  } catch (err) {
    if (err instanceof OptionError) throw new OptionError(`${label} ${err.message}`)
    throw err
  }
}

export function maskSecret(secret: string): string {
  // First and last character only when that is a small part of it (2 of 3 would say too much).
  if (secret.length < 8) return '*'.repeat(Math.max(3, secret.length))
  return `${secret.slice(0, 1)}${'*'.repeat(Math.max(3, secret.length - 2))}${secret.slice(-1)}`
}

/** The options as safe to show: the secret masked. */
export function publicOptions(options: MockOptions): Record<string, unknown> {
  return { ...options, apiSecret: maskSecret(options.apiSecret) }
}

export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}
