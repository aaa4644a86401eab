import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'

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
  /** Seats in the default account's generated world, spread over its seat groups. */
  seats: number
  /** How `seatGroup/query` params.groupName matches a group's name. */
  groupNameMatch: 'contains' | 'exact'
  /** Admin-created accounts alive at once (POST /__admin/accounts beyond it answers 409). */
  maxAccounts: number
  /** Generated tasks of an admin-created account whose request names no size. */
  accountTasks: number
}

/** What callers may pass: any subset, with friendlier shapes for a few fields. */
export type MockOptionsInput = {
  [K in keyof MockOptions]?: MockOptions[K] | (K extends 'latency' | 'utcOffset' | 'allowIp' ? string : never)
} & {
  latency?: MockOptions['latency'] | number | string | undefined
}

/** A bad option value: the CLI prints `message` on one line and exits 2. */
export class OptionError extends Error {
  override name = 'OptionError'
}

interface OptionDef {
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

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v)))

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

function text(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0)
    throw new OptionError(`must be a non-empty string (got ${show(v)})`)
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
    const family = isIP(addr)
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
    key: 'journalSize',
    flag: 'journal-size',
    env: 'JOURNAL_SIZE',
    arg: '<n>',
    description: 'request journal ring-buffer size (text: 2 KiB an entry, 64 MiB at most)',
    defaultText: '1000',
    parse: int(0, 1_000_000),
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
  seatQuery: 'range',
  seatQueryMaxDays: 32,
  duplicateGroupStatus: -20,
  missingIdStatus: -22,
  seatQuota: 500,
  uploadMaxBytes: 10 * 1024 * 1024,
  uploadInvalidRows: 'skip',
  uploadContainerMismatch: 'reject',
  seats: 48,
  groupNameMatch: 'contains',
  maxAccounts: 100,
  accountTasks: 1000,
})

const byKey = new Map(OPTION_DEFS.map((d) => [d.key as string, d]))

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

function parseWith(def: OptionDef, value: unknown, label: string): unknown {
  try {
    return def.parse(value)
  } catch (err) {
    if (err instanceof OptionError) throw new OptionError(`${label} ${err.message}`)
    throw err
  }
}

export interface CliParseResult {
  options: MockOptions
  help: boolean
  version: boolean
}

export const ENV_PREFIX = 'LAAFFIC_MOCK_'

/** Flags that are not options of the mock itself. */
const CLI_ONLY = {
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies ParseArgsConfig['options']

/** Every flag parseArgs accepts: the option table's (all take a value) and the CLI's own. */
const PARSE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  ...Object.fromEntries(OPTION_DEFS.map((d) => [d.flag, { type: 'string' as const }])),
  ...CLI_ONLY,
}

const known = (name: string): boolean => Object.hasOwn(PARSE_OPTIONS, name)
const takesValue = (name: string): boolean => known(name) && PARSE_OPTIONS[name]?.type === 'string'

/** `--name` spelled the way this CLI spells flags (lower case with dashes). */
const LONG_FLAG = /^--([a-z][a-z-]*)(?:=[\s\S]*)?$/

/** A token that stands where a value should: a flag, not a value (`--x`, but not `--` or `-5`). */
const looksLikeFlag = (token: string): boolean => token.startsWith('--') && token.length > 2

/**
 * What parseArgs gets, and where each of its tokens came from in `argv` (for messages).
 * - A literal `--` is dropped wherever it stands: `pnpm start -- --port 0` hands one over
 *   (CONTRIBUTING), and this CLI takes no positional arguments it could separate.
 * - `--flag -05:30` becomes `--flag=-05:30`: strict parseArgs calls a separate value that starts
 *   with a dash ambiguous, but negative offsets and status codes are ordinary values here.
 */
function normalizeArgv(argv: readonly string[]): { args: string[]; from: number[] } {
  const args: string[] = []
  const from: number[] = []
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ''
    if (token === '--') continue
    const next = argv[i + 1]
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined
    if (
      name !== undefined &&
      takesValue(name) &&
      next?.startsWith('-') &&
      next !== '--' &&
      !looksLikeFlag(next)
    ) {
      args.push(`${token}=${next}`)
      from.push(i)
      i++
      continue
    }
    args.push(token)
    from.push(i)
  }
  return { args, from }
}

/**
 * The one-line error for argv that strict parseArgs rejected. Built from our own reading of the
 * offending token, never from Node's message: that quotes whole tokens, and a stray token may be
 * the secret (a mistyped `--apiSecret=…`, or one value too many).
 */
function argvError(argv: readonly string[], args: string[], from: number[]): OptionError {
  const { tokens } = parseArgs({
    args,
    options: PARSE_OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  })
  for (const token of tokens) {
    const index = from[token.index] ?? token.index
    const raw = argv[index] ?? ''
    if (token.kind === 'option-terminator') continue
    if (
      token.kind === 'option' &&
      token.rawName.startsWith('--') &&
      LONG_FLAG.test(args[token.index] ?? '')
    ) {
      const name = token.name
      if (!known(name)) return new OptionError(`unknown option --${name} (see --help)`)
      if (takesValue(name)) {
        if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
          return new OptionError(`--${name} needs a value (see --help)`)
        }
      } else if (token.value !== undefined) {
        return new OptionError(`--${name} takes no value (see --help)`)
      }
      continue
    }
    // -h and -q, alone or grouped (-hq): parseArgs has already mapped them to help/quiet.
    if (
      token.kind === 'option' &&
      !token.rawName.startsWith('--') &&
      known(token.name) &&
      token.value === undefined
    ) {
      continue
    }
    // Never the whole token: it may be a secret.
    const flag = /^-{1,2}[A-Za-z][\w-]{0,40}/.exec(raw)?.[0]
    return new OptionError(
      flag
        ? `unexpected argument ${show(flag)}${raw.length > flag.length ? '…' : ''} (options are --lower-case-with-dashes; see --help)`
        : `unexpected argument #${index + 1}: this CLI takes no positional arguments (see --help)`,
    )
  }
  return new OptionError('cannot read the command line (see --help)')
}

/**
 * Resolves options from argv, `LAAFFIC_MOCK_*` variables and a `--config` JSON file.
 * Precedence: command line > environment > config file > defaults.
 * argv is read by `node:util` parseArgs (strict: every flag comes from OPTION_DEFS or CLI_ONLY);
 * `--flag value` and `--flag=value` both work; the last of a repeated flag wins.
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliParseResult {
  const { args, from } = normalizeArgv(argv)
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>
  try {
    values = parseArgs({ args, options: PARSE_OPTIONS, strict: true, allowPositionals: false }).values
  } catch {
    throw argvError(argv, args, from)
  }
  const flag = (name: string): string | undefined => {
    const v = values[name]
    return typeof v === 'string' ? v : undefined
  }
  const configPath = flag('config') ?? (env[`${ENV_PREFIX}CONFIG`] || undefined)
  const merged: Record<string, unknown> = {}
  if (configPath) {
    const config = readConfig(configPath)
    for (const [key, value] of Object.entries(config)) {
      const def = byKey.get(key)
      if (!def) throw new OptionError(`config ${configPath}: unknown key ${show(key)}`)
      merged[key] = parseWith(def, value, `config ${configPath}: ${key}`)
    }
  }
  for (const def of OPTION_DEFS) {
    const raw = env[ENV_PREFIX + def.env]
    if (raw !== undefined && raw !== '') merged[def.key] = parseWith(def, raw, ENV_PREFIX + def.env)
  }
  for (const def of OPTION_DEFS) {
    const raw = flag(def.flag)
    if (raw !== undefined) merged[def.key] = parseWith(def, raw, `--${def.flag}`)
  }
  if (values.quiet === true || env[`${ENV_PREFIX}QUIET`] === '1') merged.logLevel = 'error'
  return {
    options: resolveOptions(merged as MockOptionsInput),
    help: values.help === true,
    version: values.version === true,
  }
}

function readConfig(path: string): Record<string, unknown> {
  let textContent: string
  try {
    textContent = readFileSync(path, 'utf8')
  } catch (err) {
    throw new OptionError(`--config ${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(textContent)
  } catch (err) {
    // The position only: V8's message quotes the text around the error, which may be the secret.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    throw new OptionError(`--config ${path}: not valid JSON${at ? ` (at character ${at})` : ''}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OptionError(`--config ${path}: must hold a JSON object of option keys`)
  }
  return parsed as Record<string, unknown>
}

export function helpText(): string {
  const entries: [string, string][] = [
    ...OPTION_DEFS.map((d): [string, string] => [
      `--${d.flag} ${d.arg}`,
      `${d.description} [${d.defaultText}] (${ENV_PREFIX}${d.env})${d.assumption ? ' *' : ''}`,
    ]),
    [
      '--config <file.json>',
      `JSON object of option keys, e.g. {"port":0,"apiKey":"k"} (${ENV_PREFIX}CONFIG)`,
    ],
    ['-q, --quiet', `only errors (same as --log-level error) (${ENV_PREFIX}QUIET=1)`],
    ['-h, --help', 'this text'],
    ['--version', 'print the version'],
  ]
  // One column for the descriptions, wide enough for the longest flag.
  const width = Math.max(...entries.map(([left]) => left.length)) + 2
  return [
    'Usage: laaffic-mock [options]',
    '',
    "A mock of LAAFFIC's /v3/cc call-center API (signing, paging, filters, every status and fault).",
    '',
    'Options (command line > environment > --config file > default):',
    ...entries.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    '* a vendor behaviour the vendor does not document; the default is our guess. Each is explained',
    '  in the "Assumptions" table of the mock\'s README (apps/mock-server/README.md).',
    'The first stdout line always holds the base URL, e.g. "listening on http://127.0.0.1:4010".',
  ].join('\n')
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
