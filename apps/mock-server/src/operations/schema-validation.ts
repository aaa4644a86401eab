import { SENSITIVE_FIELDS } from '@laaffic-kit/protocol'
import type { SchemaErrorObject, SpecValidator } from '@laaffic-kit/spec'
import { describeValue } from '../describe-value.js'
import { redactSecrets, type Secrets } from '../faults.js'
import type { MockOptions } from '../options.js'
import type { Validated } from './operation.js'

type SpecModule = typeof import('@laaffic-kit/spec')

let validator: SpecValidator | undefined
let loading: Promise<SpecValidator> | undefined

/**
 * The spec's Ajv validator, loaded on first use: Ajv and the YAML parser cost ~100 ms of startup
 * that only the family's write and list operations (and fixtures) need; preview/query validates
 * by hand. A dynamic `import()` works on every runtime Hono does; the pipeline awaits it before
 * an operation that validates by schema (its `prepare`).
 */
export function loadSpecValidator(): Promise<SpecValidator> {
  if (validator) return Promise.resolve(validator)
  loading ??= import('@laaffic-kit/spec').then((spec) => {
    validator ??= spec.createSpecValidator()
    return validator
  })
  return loading
}

/**
 * The validator, synchronously. Loaded by loadSpecValidator when the pipeline got there first;
 * otherwise (createMockApp's `records`, or a direct call in a test) through `require`, which
 * Node >= 20.19 and Bun both allow for an ES module. `process.getBuiltinModule` reaches
 * `node:module` without a static `node:` import, so the app's module graph has none here.
 */
export function specValidator(): SpecValidator {
  if (validator) return validator
  const mod = globalThis.process?.getBuiltinModule?.('node:module')
  if (!mod) throw new Error('await loadSpecValidator() before validating synchronously on this runtime')
  const spec = mod.createRequire(import.meta.url)('@laaffic-kit/spec') as SpecModule
  validator = spec.createSpecValidator()
  return validator
}

const SENSITIVE = new Set<string>(Object.values(SENSITIVE_FIELDS).flat())

/** Whether the last segment of a JSON pointer names a password, phone or file field. */
function isSensitiveField(instancePath: string): boolean {
  const last = instancePath
    .split('/')
    .filter((p) => !/^\d+$/.test(p))
    .pop()
  return last !== undefined && SENSITIVE.has(last)
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
  null: 'null',
}

/** `/params/strTime` → `params.strTime`, `/idList/0` → `idList[0]`. */
function fieldPath(instancePath: string): string {
  let out = ''
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~')
    out += /^\d+$/.test(key) ? `[${key}]` : out === '' ? key : `.${key}`
  }
  return out
}

function valueAt(root: unknown, instancePath: string): unknown {
  let v = root
  for (const part of instancePath.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return v
}

/** A client-chosen name in a reason: redacted, quoted and cut, so a huge key is not echoed whole. */
function quoted(name: string, secrets: Secrets): string {
  const shown = redactSecrets(name, secrets)
  return JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown)
}

/** One vendor-style -22 detail for the first problem, naming the field; never echoes a string value. */
export function describeSchemaError(
  errors: readonly SchemaErrorObject[],
  request: unknown,
  secrets: Secrets,
): string {
  const first = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0]
  if (!first) return 'request is not valid'
  const at = fieldPath(first.instancePath)
  const field = at === '' ? 'request body' : at
  const p = first.params as Record<string, unknown>
  // A union (e.g. updateSeat's voiceGroupId: digits or an integer) lists every type it takes.
  const union = errors.some(
    (e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && e.instancePath === first.instancePath,
  )
  switch (first.keyword) {
    case 'required':
      return `${at === '' ? '' : `${at}.`}${String(p.missingProperty)} is required`
    case 'additionalProperties':
      return `unknown field ${quoted(`${at === '' ? '' : `${at}.`}${String(p.additionalProperty)}`, secrets)}`
    case 'type': {
      const types = union
        ? errors
            .filter((e) => e.keyword === 'type' && e.instancePath === first.instancePath)
            .map((e) => String((e.params as { type: string }).type))
        : String(p.type).split(',')
      const words = [...new Set(types.flatMap((t) => t.split(',')))].map((t) => TYPE_WORDS[t] ?? t)
      // A number sent as a password or phone number is not echoed either.
      const value = valueAt(request, first.instancePath)
      const shown =
        isSensitiveField(first.instancePath) && typeof value === 'number' ? 'a number' : describeValue(value)
      return `${field} must be ${words.join(' or ')}, got ${shown}`
    }
    case 'minLength':
      return `${field} must be at least ${String(p.limit)} characters`
    case 'maxLength':
      return `${field} must be at most ${String(p.limit)} characters`
    case 'minimum':
      return `${field} must be at least ${String(p.limit)}`
    case 'maximum':
      return `${field} must be at most ${String(p.limit)}`
    case 'minItems':
      return `${field} must have at least ${String(p.limit)} items`
    case 'maxItems':
      return `${field} must have at most ${String(p.limit)} items`
    case 'enum':
      return `${field} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `${field} must be ${JSON.stringify(p.allowedValue)}`
    case 'pattern':
      return `${field} does not have the required format (${String(p.pattern)})`
    default:
      return `${field} ${first.message ?? 'is not valid'}`
  }
}

/**
 * A validate function for an operation whose request is the named spec schema. With
 * `unknownFields: 'ignore'` (a mock option) unknown fields are not an error, as Jackson's
 * default would have them.
 */
export function schemaValidator<T>(
  schema: string,
): (request: unknown, options: MockOptions, secrets?: Secrets) => Validated<T> {
  return (request, options, secrets = options.apiSecret) => {
    const errors = specValidator()
      .errorObjects(schema, request)
      .filter((e) => options.unknownFields === 'reject' || e.keyword !== 'additionalProperties')
    if (errors.length === 0) return { ok: true, value: request as T }
    return { ok: false, detail: describeSchemaError(errors, request, secrets) }
  }
}
