import { OPERATIONS } from '@laaffic-kit/protocol'
import { type Directive, parseFault, parseForcedStatus } from './faults.js'
import { forcibleProblem } from './operations/status-codes.js'

/** Which requests a scenario applies to; every given field must match. */
export interface ScenarioMatch {
  apiKey?: string
  /** An operationId of the spec, e.g. `addSeatGroup`. */
  operation?: string
  /** Each listed top-level body field (or GET query parameter) must equal the request's. */
  body?: Record<string, unknown>
  current?: number
  size?: number
  /** Each listed params field must equal the request's (JSON equality). */
  params?: Record<string, unknown>
}

export interface Scenario {
  id: number
  directive: Directive
  /** Requests still to answer this way. */
  remaining: number
  match: ScenarioMatch | undefined
  /**
   * With a shared store: the log entry that queued it, which also names its count of remaining
   * uses in Redis (taken there atomically, so a scenario is used exactly `times` across replicas).
   */
  key?: string
}

export class ScenarioError extends Error {
  override name = 'ScenarioError'
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const MAX_MATCH_DEPTH = 16

function depth(v: unknown, limit = MAX_MATCH_DEPTH + 1): number {
  if (typeof v !== 'object' || v === null || limit === 0) return 0
  let deepest = 0
  for (const child of Object.values(v)) deepest = Math.max(deepest, depth(child, limit - 1))
  return 1 + deepest
}

/** GET query values are strings: a number in a match equals its digits (`voiceGroupId: 1000003`). */
function sameValue(actual: unknown, expected: unknown, digitsMatchNumbers = false): boolean {
  if (digitsMatchNumbers && typeof actual === 'string' && typeof expected === 'number') {
    return actual === String(expected)
  }
  try {
    return JSON.stringify(actual) === JSON.stringify(expected)
  } catch {
    return false // a request body nested too deep to serialise matches nothing
  }
}

function parseMatch(v: unknown): ScenarioMatch | undefined {
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) throw new ScenarioError('match must be an object')
  const out: ScenarioMatch = {}
  for (const [key, value] of Object.entries(v)) {
    if (key === 'apiKey') {
      if (typeof value !== 'string') throw new ScenarioError('match.apiKey must be a string')
      out.apiKey = value
    } else if (key === 'current' || key === 'size') {
      if (!Number.isInteger(value)) throw new ScenarioError(`match.${key} must be an integer`)
      out[key] = value as number
    } else if (key === 'params' || key === 'body') {
      if (!isObject(value)) throw new ScenarioError(`match.${key} must be an object`)
      // Matching serialises these per request: a 20,000-deep value would overflow the stack there.
      if (depth(value) > MAX_MATCH_DEPTH)
        throw new ScenarioError(`match.${key} is nested deeper than ${MAX_MATCH_DEPTH}`)
      out[key] = value
    } else if (key === 'operation') {
      if (typeof value !== 'string' || !OPERATIONS.some((op) => op.id === value)) {
        throw new ScenarioError(`match.operation must be one of ${OPERATIONS.map((op) => op.id).join(', ')}`)
      }
      out.operation = value
    } else {
      throw new ScenarioError(
        `match.${key} is not supported (apiKey, operation, current, size, params, body)`,
      )
    }
  }
  return out
}

/** Turns a POST /__admin/scenarios body into a scenario, with readable errors. */
export function parseScenario(body: unknown, id: number): Scenario {
  if (!isObject(body)) throw new ScenarioError('body must be a JSON object {status|fault, times?, match?}')
  for (const key of Object.keys(body)) {
    if (!['status', 'fault', 'times', 'match'].includes(key)) throw new ScenarioError(`unknown field ${key}`)
  }
  const hasStatus = body.status !== undefined
  const hasFault = body.fault !== undefined
  if (hasStatus === hasFault) throw new ScenarioError('give exactly one of status or fault')
  let directive: Directive
  if (hasStatus) {
    const s = parseForcedStatus(body.status)
    if (!s.ok) throw new ScenarioError('status must be an integer status code such as -1, -16 or 0')
    directive = { status: s.value }
  } else {
    const f = parseFault(body.fault)
    if (!f.ok) throw new ScenarioError(f.detail.replace('X-Mock-Fault', 'fault'))
    directive = { fault: f.value }
  }
  const match = parseMatch(body.match)
  const op = OPERATIONS.find((o) => o.id === match?.operation)
  if (op && directive.status !== undefined) {
    const problem = forcibleProblem(op, directive.status)
    if (problem) throw new ScenarioError(problem)
  }
  const times = body.times ?? 1
  if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 1_000_000) {
    throw new ScenarioError('times must be an integer between 1 and 1000000')
  }
  return { id, directive, remaining: times as number, match }
}

export interface ScenarioRequest {
  apiKey: string | undefined
  operation: string
  /** The parsed body, or a GET's query parameters. */
  body: unknown
}

function matches(match: ScenarioMatch | undefined, req: ScenarioRequest): boolean {
  if (!match) return true
  const body = isObject(req.body) ? req.body : {}
  if (match.apiKey !== undefined && match.apiKey !== req.apiKey) return false
  if (match.operation !== undefined && match.operation !== req.operation) return false
  if (match.body) {
    for (const [key, value] of Object.entries(match.body)) {
      if (!sameValue(body[key], value, true)) return false
    }
  }
  if (match.current !== undefined && body.current !== match.current) return false
  if (match.size !== undefined && body.size !== match.size) return false
  if (match.params) {
    const params = isObject(body.params) ? body.params : {}
    for (const [key, value] of Object.entries(match.params)) {
      if (!sameValue(params[key], value)) return false
    }
  }
  return true
}

/** A FIFO of scenarios; the first matching one answers and is used up after `times`. */
export class ScenarioQueue {
  #items: Scenario[] = []
  #nextId = 1

  add(body: unknown, key?: string): Scenario {
    const scenario = parseScenario(body, this.#nextId)
    if (key !== undefined) scenario.key = key
    this.#nextId++
    this.#items.push(scenario)
    return scenario
  }

  /** Every scenario matching the request, first to last (a shared store tries them in this order). */
  matching(req: ScenarioRequest): Scenario[] {
    return this.#items.filter((s) => matches(s.match, req))
  }

  /** A shared store's word on a scenario: `left` uses remain (0 or fewer: it is gone). */
  settle(key: string, left: number): void {
    const i = this.#items.findIndex((s) => s.key === key)
    if (i < 0) return
    if (left <= 0) this.#items.splice(i, 1)
    else (this.#items[i] as Scenario).remaining = left
  }

  /** false when no scenario is queued: callers can skip building the request to match. */
  get pending(): boolean {
    return this.#items.length > 0
  }

  take(req: ScenarioRequest): Directive | undefined {
    const i = this.#items.findIndex((s) => matches(s.match, req))
    if (i < 0) return undefined
    const s = this.#items[i] as Scenario
    s.remaining--
    if (s.remaining <= 0) this.#items.splice(i, 1)
    return s.directive
  }

  list(): Scenario[] {
    return this.#items.map((s) => ({ ...s }))
  }

  clear(): void {
    this.#items = []
  }

  /** Empty, and ids from 1 again: as the mock started (a shared store that lost its data). */
  reset(): void {
    this.#items = []
    this.#nextId = 1
  }
}
