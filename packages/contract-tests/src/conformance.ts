import { OPERATIONS } from '@laaffic-kit/protocol'
import type { SpecValidator } from '@laaffic-kit/spec'
import { responseSchemaOf } from './operations.js'

/**
 * Wraps a target's fetch so every HTTP 200 answer to one of the spec's operations is checked
 * against that operation's response schema, whichever test (or client call) caused it. The
 * problems land in `problems` (one line each, the operation and the first errors), for an
 * afterEach to assert empty. Other answers (Prism's 422, faults) are the tests' own business.
 */
export function conformanceFetch(
  inner: typeof fetch,
  baseUrl: string,
  validator: SpecValidator,
  problems: string[],
): typeof fetch {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')
  const schemas = new Map(
    OPERATIONS.map((op) => [`${op.method} ${op.path}`, [op.id, responseSchemaOf(op.id)] as const]),
  )
  return async (input, init) => {
    const request = new Request(input, init)
    const response = await inner(request)
    const path = new URL(request.url).pathname
    const entry = schemas.get(
      `${request.method} ${path.startsWith(basePath) ? path.slice(basePath.length) : path}`,
    )
    if (!entry || response.status !== 200) return response
    const [id, schema] = entry
    const text = await response.clone().text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // A malformed body is a fault a test asked for (X-Mock-Fault: malformed) or a real bug;
      // the client reports it as LaafficHttpError, which the test checks.
      return response
    }
    const errors = validator.errors(schema, json)
    if (errors.length > 0) problems.push(`${id} answer breaks ${schema}: ${errors.slice(0, 3).join('; ')}`)
    return response
  }
}
