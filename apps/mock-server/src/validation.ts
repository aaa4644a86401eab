import { TASK_STATUSES } from './dataset.js'
import { describeValue as describe } from './describe-value.js'
import { redactSecrets, type Secrets } from './faults.js'
import type { MockOptions } from './options.js'
import type { TaskFilter } from './task-index.js'
import { parseWallClock } from './time.js'

export interface ValidQuery {
  current: number
  size: number
  filter: TaskFilter
}

/** A -22 detail such as `size must be between 1 and 100`; the reason text prefixes it. */
export type Validation = { ok: true; query: ValidQuery } | { ok: false; detail: string }

const MAX_INT = 2147483647
const TOP_FIELDS = new Set(['current', 'size', 'params'])
const PARAM_FIELDS = new Set([
  'startTime',
  'endTime',
  'taskId',
  'taskStatus',
  'taskType',
  'finishFlag',
  'voiceGroupIds',
])

type ValidationOptions = Pick<MockOptions, 'unknownFields' | 'utcOffset' | 'endDate' | 'groupMatch'> &
  Partial<Pick<MockOptions, 'apiSecret'>>

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A client-chosen field name as it appears in a reason: quoted, and cut so a huge key is not echoed whole. */
// Redacted before the cut: cut first, and a secret or Sign straddling it would no longer match.
const fieldName = (name: string, secret: Secrets = ''): string => {
  const shown = redactSecrets(name, secret)
  return JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown)
}

function integerIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
}

function fail(detail: string): Validation {
  return { ok: false, detail }
}

/**
 * The spec's QueryRequest rules, with one readable reason per failure (the first found,
 * in field order) instead of a schema dump, so a client developer sees what to fix.
 */
export function validateQuery(
  body: unknown,
  options: ValidationOptions,
  secrets: Secrets = options.apiSecret ?? '',
): Validation {
  if (!isObject(body)) return fail(`request body must be a JSON object, got ${describe(body)}`)
  if (options.unknownFields === 'reject') {
    for (const key of Object.keys(body)) {
      if (!TOP_FIELDS.has(key)) return fail(`unknown field ${fieldName(key, secrets)}`)
    }
  }
  const { current, size, params } = body
  if (current === undefined) return fail('current is required')
  if (!integerIn(current, -Infinity, Infinity))
    return fail(`current must be an integer, got ${describe(current)}`)
  if (!integerIn(current, 1, MAX_INT)) return fail(`current must be between 1 and ${MAX_INT}`)
  if (size === undefined) return fail('size is required')
  if (!integerIn(size, -Infinity, Infinity)) return fail(`size must be an integer, got ${describe(size)}`)
  if (!integerIn(size, 1, 100)) return fail('size must be between 1 and 100')
  if (params === undefined) return fail('params is required')
  if (!isObject(params)) return fail(`params must be an object, got ${describe(params)}`)
  if (options.unknownFields === 'reject') {
    for (const key of Object.keys(params)) {
      if (!PARAM_FIELDS.has(key)) return fail(`unknown field ${fieldName(`params.${key}`, secrets)}`)
    }
  }
  const filter: TaskFilter = { groupMatch: options.groupMatch }
  for (const field of ['startTime', 'endTime'] as const) {
    const v = params[field]
    if (v === undefined) continue
    if (typeof v !== 'string') return fail(`params.${field} must be a string, got ${describe(v)}`)
    const parsed = parseWallClock(v, options.utcOffset)
    if (!parsed) return fail(`params.${field} must be a date yyyy-MM-dd or yyyy-MM-dd HH:mm:ss`)
    if (field === 'startTime') filter.lower = parsed.epochSeconds
    else {
      // A date-only end covers its whole day unless the end-date option says otherwise.
      filter.upper = parsed.epochSeconds + (parsed.dateOnly && options.endDate === 'day-end' ? 86399 : 0)
    }
  }
  if (filter.lower !== undefined && filter.upper !== undefined && filter.lower > filter.upper) {
    return fail('params.startTime must not be after params.endTime')
  }
  if (params.taskId !== undefined) {
    const v = params.taskId
    if (typeof v !== 'string') return fail(`params.taskId must be a string, got ${describe(v)}`)
    if (!/^[0-9]{1,19}$/.test(v)) return fail('params.taskId must be a string of 1 to 19 digits')
    filter.taskId = Number(v)
  }
  if (params.taskStatus !== undefined) {
    const v = params.taskStatus
    if (!Array.isArray(v)) return fail(`params.taskStatus must be an array, got ${describe(v)}`)
    if (v.length > 8) return fail('params.taskStatus must have at most 8 items')
    for (const [i, s] of v.entries()) {
      if (typeof s !== 'number' || !(TASK_STATUSES as readonly number[]).includes(s)) {
        return fail(`params.taskStatus[${i}] must be one of ${TASK_STATUSES.join(', ')}`)
      }
    }
    filter.taskStatus = v as number[]
  }
  for (const field of ['taskType', 'finishFlag'] as const) {
    const v = params[field]
    if (v === undefined) continue
    if (v !== 0 && v !== 1) return fail(`params.${field} must be 0 or 1`)
    filter[field] = v
  }
  if (params.voiceGroupIds !== undefined) {
    const v = params.voiceGroupIds
    if (!Array.isArray(v)) return fail(`params.voiceGroupIds must be an array, got ${describe(v)}`)
    if (v.length > 100) return fail('params.voiceGroupIds must have at most 100 items')
    for (const [i, g] of v.entries()) {
      if (!integerIn(g, 1, Number.MAX_SAFE_INTEGER)) {
        return fail(`params.voiceGroupIds[${i}] must be a positive integer`)
      }
    }
    filter.voiceGroupIds = v as number[]
  }
  return { ok: true, query: { current, size, filter } as ValidQuery }
}
