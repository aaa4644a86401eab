import { OPERATIONS, type OperationDef, operationStatus, PLATFORM_STATUS_CODES } from '@laaffic-kit/protocol'
import { createSpecValidator, type SpecValidator, specOperations } from '@laaffic-kit/spec'

/** One way an upstream answer differs from the spec: where (a JSON pointer, indices as `*`) and which rule. */
export interface Violation {
  field: string
  rule: string
}

let validator: SpecValidator | undefined
let responseSchemas: Map<string, string> | undefined

/** The component schema of each operation's 200 answer, read from the spec's `$ref`s. */
function schemaOf(operationId: string): string | undefined {
  if (!responseSchemas) {
    responseSchemas = new Map()
    for (const op of specOperations()) {
      const ref = op.operation.responses?.['200']?.content?.['application/json']?.schema?.$ref
      if (typeof ref === 'string') responseSchemas.set(op.operationId, ref.split('/').pop() ?? '')
    }
  }
  return responseSchemas.get(operationId)
}

/** The vendor operation a request names (method and path exactly as the spec has them). */
export function operationFor(method: string, path: string): OperationDef | undefined {
  return OPERATIONS.find((op) => op.method === method && op.path === path)
}

/**
 * Checks an upstream answer against the spec's response schema for its operation. Violations
 * name fields and rules only, never values: the answer may hold phone numbers or passwords.
 */
export function validateAnswer(op: OperationDef, text: string): Violation[] {
  const operationId = op.id
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return [{ field: '/', rule: 'not JSON' }]
  }
  const schema = schemaOf(operationId)
  if (!schema) return []
  validator ??= createSpecValidator()
  const seen = new Set<string>()
  const out: Violation[] = []
  for (const e of validator.errorObjects(schema, body)) {
    let field = (e.instancePath || '/').replace(/\/\d+(?=\/|$)/g, '/*')
    // An unexpected key is reported by its name (a key, not a value) so the report says which.
    if (e.keyword === 'additionalProperties') {
      field = `${field === '/' ? '' : field}/${String(e.params.additionalProperty).slice(0, 64)}`
    }
    const key = `${field} ${e.keyword}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ field, rule: e.keyword })
  }
  // A status the operation's page does not list (nor the platform-wide table): the schema takes
  // any numeric status, but a recording should show where the vendor's tables are incomplete.
  const status = (body as { status?: unknown } | null)?.status
  const code = typeof status === 'string' && /^-?\d{1,9}$/.test(status) ? Number(status) : status
  if (
    typeof code === 'number' &&
    operationStatus(op, code) === undefined &&
    !PLATFORM_STATUS_CODES.some((p) => p.code === code)
  ) {
    out.push({ field: '/status', rule: 'undocumented status' })
  }
  return out
}
