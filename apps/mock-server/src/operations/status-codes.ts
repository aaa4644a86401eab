import { type OperationDef, operationStatus, PLATFORM_STATUS_CODES, statusInfo } from '@laaffic-kit/protocol'

const platform = new Map<number, string>(PLATFORM_STATUS_CODES.map((s) => [s.code, s.reason]))

/**
 * Which codes a request may be forced to answer on an operation: the operation's own table,
 * plus the platform's general v3 codes (-1…-32: rate limits, whitelists, disabled keys…) that
 * any endpoint may plausibly return. Undefined when allowed, else a -22 detail naming the codes.
 */
export function forcibleProblem(op: OperationDef, code: number): string | undefined {
  if (code === 0 || operationStatus(op, code) || platform.has(code)) return undefined
  const own = op.statuses.map((s) => s.code).join(', ')
  return `status ${code} is not documented for ${op.id} (its codes: ${own}; or a platform code -1 to -32)`
}

/** The reason text the mock prints for a code on an operation; details go after a colon. */
export function reasonOf(op: OperationDef, code: number): string {
  const known = operationStatus(op, code)?.reason ?? statusInfo(code)?.reason
  if (known !== undefined) return known
  // Not this operation's code: a client's unknown-code path is what such a status tests.
  const general = platform.get(code)
  return `Unknown status ${code} (forced by laaffic-mock${general ? `; the platform's table: ${general}` : ''})`
}
