import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { parse } from 'yaml'

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

export type SchemaName = 'QueryRequest' | 'QueryResponse' | 'TaskPage' | 'TaskRecord' | 'QueryParams'

/** A vendor schema name, or any component name of another document (e.g. the admin spec). */
export type AnySchemaName = SchemaName | (string & {})

export interface SpecValidator {
  /** True when `value` is valid against the named component schema. */
  validate(name: AnySchemaName, value: unknown): boolean
  /** Readable problems (empty when valid), e.g. `/data/records/0/appId must be string`. */
  errors(name: AnySchemaName, value: unknown): string[]
}

let documents = 0
// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

/**
 * Compiles the spec's component schemas with Ajv's JSON Schema 2020-12 dialect (the one
 * OpenAPI 3.1 uses). Vendor-extension keywords (`x-…`) are declared as annotations so
 * strict mode still rejects typos in real keywords.
 */
export function createSpecValidator(doc: OpenApiDocument = loadSpec()): SpecValidator {
  const schemas = doc.components?.schemas as Record<string, unknown> | undefined
  if (!schemas) throw new Error('the spec has no components.schemas')
  const defs = JSON.parse(JSON.stringify(schemas).replaceAll('#/components/schemas/', '#/$defs/'))
  // One id per document, so validators for two specs never share (or clash on) a schema id.
  const SCHEMA_ID = `https://laaffic-kit.local/openapi-components/${++documents}`
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true })
  addFormats(ajv)
  ajv.addVocabulary(['x-enum-varnames', 'x-enum-descriptions', 'x-status-codes'])
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
  zh: string
  meaning: string
}

/** The status table the spec documents in `Status.x-status-codes`. */
export function specStatusCodes(doc: OpenApiDocument = loadSpec()): StatusCodeEntry[] {
  return doc.components.schemas.Status['x-status-codes'] as StatusCodeEntry[]
}
