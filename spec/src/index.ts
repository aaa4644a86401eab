import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'

import type { operations } from './generated/schema.js'

export type { components, operations, paths } from './generated/schema.js'

/** Absolute path of `openapi.yaml`, for tools that take a file (Prism, Redocly, servers). */
export const specPath: string = fileURLToPath(new URL('../openapi.yaml', import.meta.url))

/** Absolute path of `mock-admin.openapi.yaml`: the mock's own `/__admin` API, not the vendor's. */
export const adminSpecPath: string = fileURLToPath(new URL('../mock-admin.openapi.yaml', import.meta.url))

/** The admin spec parsed from YAML. */
export function loadAdminSpec(): OpenApiDocument {
  return parse(readFileSync(adminSpecPath, 'utf8')) as OpenApiDocument
}

/** The spec's text, exactly as committed. */
export function readSpecText(): string {
  return readFileSync(specPath, 'utf8')
}

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is free-form JSON.
export type OpenApiDocument = Record<string, any>

/** The spec parsed from YAML. */
export function loadSpec(): OpenApiDocument {
  return parse(readSpecText()) as OpenApiDocument
}

/** Where the build writes the component schemas as JSON: beside the built module. */
export const builtSchemasUrl: URL = new URL('./schemas.json', import.meta.url)

/**
 * The spec's component schemas, from the JSON the build writes beside this module when it was
 * written from the committed YAML (same sha1), else parsed from the YAML. Parsing 110 KB of YAML
 * leaves ~14 MiB of heap that V8 keeps for a while after gc() (the mock's RSS after its first
 * upload: 10 MiB more); the JSON costs a fraction of it.
 */
export function loadSpecSchemas(built: URL = builtSchemasUrl): Record<string, unknown> {
  const text = readSpecText()
  try {
    const json = JSON.parse(readFileSync(built, 'utf8')) as {
      source?: unknown
      schemas?: Record<string, unknown>
    }
    if (json.schemas && json.source === createHash('sha1').update(text).digest('hex')) return json.schemas
  } catch {
    // No build output (a test running from src/): the YAML below.
  }
  const schemas = (parse(text) as OpenApiDocument).components?.schemas as Record<string, unknown> | undefined
  if (!schemas) throw new Error('the spec has no components.schemas')
  return schemas
}

/** The component schemas of `openapi.yaml`. */
export type SchemaName =
  // shared
  | 'Status'
  | 'Envelope'
  | 'EmptyResponse'
  | 'PageCurrent'
  | 'PageSize'
  | 'Page'
  | 'VoiceGroupId'
  | 'WallClockTime'
  // queryPreviewTasks
  | 'DateBound'
  | 'TaskStatus'
  | 'TaskType'
  | 'FinishFlag'
  | 'QueryParams'
  | 'QueryRequest'
  | 'QueryResponse'
  | 'TaskPage'
  | 'TaskRecord'
  // seat groups
  | 'SeatGroupName'
  | 'CallinStrategy'
  | 'SeatGroupQueryParams'
  | 'SeatGroupQueryRequest'
  | 'SeatGroupRecord'
  | 'SeatGroupPage'
  | 'SeatGroupQueryResponse'
  | 'AddSeatGroupRequest'
  | 'UpdateSeatGroupRequest'
  // seats
  | 'SeatEnable'
  | 'SeatStatus'
  | 'SeatQueryParams'
  | 'SeatQueryRequest'
  | 'SeatRecord'
  | 'SeatPage'
  | 'SeatQueryResponse'
  | 'AddSeatListRequest'
  | 'CreatedSeat'
  | 'AddSeatListResponse'
  | 'UpdateSeatRequest'
  | 'BatchSeatRequest'
  // number files
  | 'UploadPreviewFileRequest'
  | 'UploadedFile'
  | 'UploadPreviewFileResponse'
  // agent-task writes
  | 'PreviewTaskId'
  | 'CalloutRate'
  | 'NewTaskId'
  | 'SubmitPreviewTaskRequest'
  | 'SubmitPreviewTaskResponse'
  | 'EditPreviewTaskRequest'
  | 'CancelPreviewTaskRequest'
  | 'ResendType'
  | 'ResendPreviewTaskRequest'
  | 'ResendPreviewTaskResponse'

/** The operationIds of `openapi.yaml`, from the generated types (protocol's OperationId must equal it: test/types.test-d.ts). */
export type SpecOperationId = keyof operations & string

/** A vendor schema name, or any component name of another document (e.g. the admin spec). */
export type AnySchemaName = SchemaName | (string & {})

export interface SpecValidator {
  /** True when `value` is valid against the named component schema. */
  validate(name: AnySchemaName, value: unknown): boolean
  /** Readable problems (empty when valid), e.g. `/data/records/0/appId must be string`. */
  errors(name: AnySchemaName, value: unknown): string[]
  /** Ajv's own error objects (empty when valid), for callers that word their own messages. */
  errorObjects(name: AnySchemaName, value: unknown): SchemaErrorObject[]
}

/** One problem as Ajv reports it: keyword, instancePath, params, message. */
export type SchemaErrorObject = ErrorObject

let documents = 0
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

/**
 * Compiles the spec's component schemas with Ajv's JSON Schema 2020-12 dialect (the one
 * OpenAPI 3.1 uses). Vendor-extension keywords (`x-…`) are declared as annotations so
 * strict mode still rejects typos in real keywords.
 */
export function createSpecValidator(doc?: OpenApiDocument): SpecValidator {
  const schemas = doc ? (doc.components?.schemas as Record<string, unknown> | undefined) : loadSpecSchemas()
  if (!schemas) throw new Error('the spec has no components.schemas')
  const defs = JSON.parse(JSON.stringify(schemas).replaceAll('#/components/schemas/', '#/$defs/'))
  // One id per document, so validators for two specs never share (or clash on) a schema id.
  const SCHEMA_ID = `https://laaffic-kit.local/openapi-components/${++documents}`
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true })
  addFormats(ajv)
  // Every x- keyword the schemas use; x-status-codes lives on operations now but older documents
  // carried it on a schema.
  ajv.addVocabulary(['x-enum-varnames', 'x-enum-descriptions', 'x-status-codes', 'x-sensitive'])
  ajv.addSchema({ $id: SCHEMA_ID, $defs: defs })
  const cache = new Map<string, ValidateFunction>()
  const compiled = (name: string): ValidateFunction => {
    let fn = cache.get(name)
    if (!fn) {
      fn = ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`)
      if (!fn) throw new Error(`the spec has no schema ${name}`)
      cache.set(name, fn)
    }
    return fn
  }
  return {
    validate: (name, value) => compiled(name)(value) === true,
    errors(name, value) {
      const fn = compiled(name)
      return fn(value) ? [] : formatErrors(fn.errors ?? [])
    },
    errorObjects(name, value) {
      const fn = compiled(name)
      return fn(value) ? [] : [...(fn.errors ?? [])]
    },
  }
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String(e.params.additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` ${JSON.stringify(e.params.allowedValues)}`
          : ''
    return `${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`
  })
}

export interface StatusCodeEntry {
  code: number
  /** The Chinese text, where the Chinese page was seen. */
  zh?: string
  meaning: string
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace'
const METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** One operation of the spec, with where it lives. */
export interface SpecOperation {
  operationId: string
  /** Upper case, as in `@laaffic-kit/protocol`'s OperationDef. */
  method: Uppercase<HttpMethod>
  path: string
  /** The operation object itself (`x-status-codes`, requestBody, responses, …). */
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI operation is free-form JSON.
  operation: Record<string, any>
}

/** Every operation of the document, in document order. */
export function specOperations(doc: OpenApiDocument = loadSpec()): SpecOperation[] {
  const out: SpecOperation[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, unknown>][]) {
    for (const method of METHODS) {
      const operation = item[method] as SpecOperation['operation'] | undefined
      if (operation)
        out.push({
          operationId: String(operation.operationId),
          method: method.toUpperCase() as Uppercase<HttpMethod>,
          path,
          operation,
        })
    }
  }
  return out
}

/** The operation with this operationId; throws when the document has none. */
export function specOperation(
  doc: OpenApiDocument,
  operationId: SpecOperationId | (string & {}),
): SpecOperation {
  const found = specOperations(doc).find((o) => o.operationId === operationId)
  if (!found) throw new Error(`the spec has no operation ${operationId}`)
  return found
}

/**
 * The status table the spec documents for one operation (`x-status-codes` on the operation
 * object). Codes are per operation: -64 on deleteSeatGroup is not -64 on updateSeat.
 * `specStatusCodes()` and `specStatusCodes(doc)` keep their old meaning (queryPreviewTasks);
 * `specStatusCodes('querySeats')` or `specStatusCodes(doc, 'querySeats')` pick another.
 */
export function specStatusCodes(operationId?: SpecOperationId | (string & {})): StatusCodeEntry[]
export function specStatusCodes(
  doc?: OpenApiDocument,
  operationId?: SpecOperationId | (string & {}),
): StatusCodeEntry[]
export function specStatusCodes(
  docOrId?: OpenApiDocument | string,
  operationId: SpecOperationId | (string & {}) = 'queryPreviewTasks',
): StatusCodeEntry[] {
  const [doc, id] = typeof docOrId === 'string' ? [loadSpec(), docOrId] : [docOrId ?? loadSpec(), operationId]
  const codes = specOperation(doc, id).operation['x-status-codes'] as StatusCodeEntry[] | undefined
  if (!codes) throw new Error(`operation ${id} has no x-status-codes`)
  return codes
}

/** Property names marked `x-sensitive`, by kind. */
export interface SensitiveFields {
  password: string[]
  phone: string[]
  /** Any other kind a future edit introduces, so it is not silently dropped. */
  [kind: string]: string[]
}

/**
 * Every property name the spec marks `x-sensitive: password` or `x-sensitive: phone` (in any
 * component schema, however deeply nested), sorted and without repeats. Loggers and journals
 * use it to know which JSON fields to mask.
 */
export function sensitiveFields(doc: OpenApiDocument = loadSpec()): SensitiveFields {
  const found: Record<string, Set<string>> = { password: new Set(), phone: new Set() }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child)
      return
    }
    if (typeof node !== 'object' || node === null) return
    const properties = (node as { properties?: unknown }).properties
    if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
      for (const [name, schema] of Object.entries(properties)) {
        const kind = (schema as Record<string, unknown> | null)?.['x-sensitive']
        if (typeof kind !== 'string') continue
        let names = found[kind]
        if (!names) {
          names = new Set()
          found[kind] = names
        }
        names.add(name)
      }
    }
    for (const child of Object.values(node)) visit(child)
  }
  visit(doc.components?.schemas)
  const out = { password: [], phone: [] } as SensitiveFields
  for (const [kind, names] of Object.entries(found)) out[kind] = [...names].sort()
  return out
}
