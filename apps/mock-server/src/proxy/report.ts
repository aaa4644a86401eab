import type { Violation } from './validate.js'

/** Counts for one operation (or `unknown` for nothing the spec names). */
export interface OperationReport {
  requests: number
  /** Answered here with -1/-16 (bad credentials): never forwarded. */
  rejectedLocally: number
  forwarded: number
  /** Refused, reset, timed out or not JSON. */
  upstreamErrors: number
  /** Answers with at least one spec violation. */
  nonConforming: number
  /** `field rule` → how many answers broke it. */
  violations: Record<string, number>
}

export type ProxyReport = Record<string, OperationReport>

export type Outcome = 'rejected' | 'forwarded' | 'upstream-error'

/** The summary `GET /__proxy/report` returns and SIGTERM prints. */
export class ReportBook {
  readonly #ops = new Map<string, OperationReport>()

  add(operationId: string, outcome: Outcome, violations: readonly Violation[] = []): void {
    let r = this.#ops.get(operationId)
    if (!r) {
      r = {
        requests: 0,
        rejectedLocally: 0,
        forwarded: 0,
        upstreamErrors: 0,
        nonConforming: 0,
        violations: {},
      }
      this.#ops.set(operationId, r)
    }
    r.requests++
    if (outcome === 'rejected') r.rejectedLocally++
    else if (outcome === 'forwarded') r.forwarded++
    else r.upstreamErrors++
    if (violations.length > 0) r.nonConforming++
    for (const v of violations) {
      const key = `${v.field} ${v.rule}`
      r.violations[key] = (r.violations[key] ?? 0) + 1
    }
  }

  toJSON(): ProxyReport {
    return Object.fromEntries(
      [...this.#ops].map(([id, r]) => [id, { ...r, violations: { ...r.violations } }]),
    )
  }
}
