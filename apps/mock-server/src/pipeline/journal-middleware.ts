import type { MiddlewareHandler } from 'hono'
import { redactPath, type Secrets } from '../faults.js'
import type { Journal } from '../journal.js'
import type { Logger } from '../log.js'
import type { MockEnv } from './env.js'

/**
 * Access log and journal around every request; admin, asset and docs traffic stays out of the
 * journal. Also stamps Date (from the mock's clock: clients correct skew from it, so a frozen
 * or shifted clock must be what they see) and X-Request-Id when the handler did not.
 */
export function journalMiddleware(deps: {
  journal: Journal
  logger: Logger
  httpDate: () => string
  secrets: () => Secrets
  /** Vendor paths, kept by reference in the journal (a request's own copy would be held a while). */
  vendorPaths: ReadonlyMap<string, string>
  /** `mock-` by default; with a shared store the replica's name, so ids are unique across replicas. */
  requestIdPrefix?: string
}): MiddlewareHandler<MockEnv> {
  let requestSeq = 0
  const prefix = deps.requestIdPrefix ?? 'mock-'
  return async (c, next) => {
    const started = performance.now()
    const requestId = `${prefix}${++requestSeq}`
    c.set('inBand', null)
    c.set('forced', null)
    c.set('requestId', requestId)
    c.set('stamped', false)
    await next()
    if (!c.get('stamped')) {
      try {
        c.res.headers.set('Date', deps.httpDate())
        c.res.headers.set('X-Request-Id', requestId)
      } catch {
        // an immutable response (a dropped connection) has no headers to stamp
      }
    }
    const durationMs = performance.now() - started
    const path = c.req.path
    const entry = {
      method: c.req.method,
      // Any other path goes to the log redacted, as a client may have put its secret in a URL.
      path: deps.vendorPaths.get(path) ?? redactPath(path, deps.secrets()),
      httpStatus: c.res.status,
      status: c.get('inBand'),
      durationMs,
      forced: c.get('forced'),
    }
    deps.logger.access(entry)
    if (!path.startsWith('/__admin') && !path.startsWith('/__assets') && path !== '/docs') {
      deps.journal.add({
        timeMs: Date.now(),
        requestId,
        method: entry.method,
        path: entry.path,
        headers: c.env?.incoming?.rawHeaders ?? c.req.raw.headers,
        bodyText: c.get('bodyText'),
        httpStatus: entry.httpStatus,
        status: entry.status,
        forced: entry.forced,
        durationMs: Math.round(durationMs * 1000) / 1000,
      })
    }
  }
}
