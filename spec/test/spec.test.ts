import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STATUS_CODES } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createSpecValidator, loadSpec, specStatusCodes } from '../src/index.js'

const doc = loadSpec()
const v = createSpecValidator(doc)
const op = doc.paths['/v3/cc/preview/query'].post
const requestExamples = Object.entries(op.requestBody.content['application/json'].examples) as [
  string,
  { value: unknown },
][]
const responseExamples = Object.entries(op.responses['200'].content['application/json'].examples) as [
  string,
  { value: { status: unknown; reason: string; data?: unknown } },
][]

const seedResponse = responseExamples.find(([name]) => name === 'seedResponse')![1].value as {
  data: { records: Record<string, unknown>[] }
}
const seedRecord = seedResponse.data.records[0]!

describe('spec examples validate against their own schemas', () => {
  it.each(requestExamples)('request example %s', (_name, example) => {
    expect(v.errors('QueryRequest', example.value)).toEqual([])
  })
  it.each(responseExamples)('response example %s', (_name, example) => {
    expect(v.errors('QueryResponse', example.value)).toEqual([])
  })
  it('has one failure example per documented failure code', () => {
    const codes = new Set(responseExamples.map(([, e]) => Number(e.value.status)))
    for (const { code } of STATUS_CODES) expect(codes.has(code), `example for ${code}`).toBe(true)
  })
})

describe('the status table', () => {
  it('is the same in the spec and in @laaffic-kit/protocol', () => {
    expect(specStatusCodes(doc).map(({ code, zh }) => ({ code, zh }))).toEqual(
      STATUS_CODES.map(({ code, zh }) => ({ code, zh })),
    )
  })
  it('matches the reason texts the examples print', () => {
    for (const [, { value }] of responseExamples) {
      const row = STATUS_CODES.find((s) => s.code === Number(value.status))!
      expect(value.reason.startsWith(row.reason)).toBe(true)
    }
  })
})

describe('the record schema', () => {
  it('has the 25 fields of the vendor table, all required', () => {
    const record = doc.components.schemas.TaskRecord
    expect(Object.keys(record.properties)).toHaveLength(25)
    expect([...record.required].sort()).toEqual(Object.keys(record.properties).sort())
    expect(Object.keys(seedRecord).sort()).toEqual(Object.keys(record.properties).sort())
  })

  it.each([
    ['numberTotalCount as a number', { numberTotalCount: 1 }, '/numberTotalCount must be string'],
    ['appId as a number', { appId: 1000009 }, '/appId must be string'],
    ['taskId as a string', { taskId: '5000525' }, '/taskId must be integer'],
    ['unknown taskStatus', { taskStatus: 3 }, '/taskStatus must be equal to one of the allowed values'],
    ['null seatGroupName', { seatGroupName: null }, '/seatGroupName must be string'],
    ['createTime without time', { createTime: '2025-01-10' }, '/createTime must match pattern'],
    ['non-numeric completedRate', { completedRate: 'half' }, '/completedRate must match pattern'],
  ])('rejects %s', (_name, patch, message) => {
    const errors = v.errors('TaskRecord', { ...seedRecord, ...patch })
    expect(errors.join('\n')).toContain(message)
  })

  it('rejects a record missing a required field, even a nullable one', () => {
    const { remark: _r, ...withoutRemark } = seedRecord
    expect(v.errors('TaskRecord', withoutRemark).join('\n')).toContain("must have required property 'remark'")
  })

  it('accepts completedRate as a number or a numeric string', () => {
    expect(v.validate('TaskRecord', { ...seedRecord, completedRate: 0.35 })).toBe(true)
    expect(v.validate('TaskRecord', { ...seedRecord, completedRate: '35.5' })).toBe(true)
  })
})

describe('the envelope schema', () => {
  it.each([
    ['status as a boolean', { status: true, reason: 'x' }],
    ['status as a non-numeric string', { status: 'ok', reason: 'x' }],
    ['status as a fraction', { status: 0.5, reason: 'x' }],
    ['no reason', { status: 0 }],
    ['data as an array', { status: 0, reason: 'success', data: [] }],
    [
      'data without records',
      { status: 0, reason: 'success', data: { total: 0, size: 1, current: 1, pages: 0, searchCount: true } },
    ],
  ])('rejects %s', (_name, body) => {
    expect(v.validate('QueryResponse', body)).toBe(false)
  })
})

describe('the request schema', () => {
  it.each([
    ['current 0', { current: 0, size: 15, params: {} }, '/current must be >= 1'],
    ['size 101', { current: 1, size: 101, params: {} }, '/size must be <= 100'],
    ['no params', { current: 1, size: 15 }, "must have required property 'params'"],
    [
      'unknown filter',
      { current: 1, size: 15, params: { status: 1 } },
      "must NOT have additional properties 'status'",
    ],
    [
      'bad date',
      { current: 1, size: 15, params: { startTime: '2025/01/10' } },
      '/params/startTime must match pattern',
    ],
    [
      'unknown taskStatus',
      { current: 1, size: 15, params: { taskStatus: [3] } },
      '/params/taskStatus/0 must be equal',
    ],
    [
      'taskId as a number',
      { current: 1, size: 15, params: { taskId: 5000525 } },
      '/params/taskId must be string',
    ],
    ['finishFlag 2', { current: 1, size: 15, params: { finishFlag: 2 } }, '/params/finishFlag must be equal'],
  ])('rejects %s', (_name, body, message) => {
    expect(v.errors('QueryRequest', body).join('\n')).toContain(message)
  })
})

// The vendor's page is kept read-only beside the repository (../shared, as CI lays it out), or
// wherever LAAFFIC_SHARED_DIR points. Its printed example is not valid JSON; escaping the stray
// backslashes must make it valid against the spec. Without the page the block skips, and reads
// nothing while vitest collects it.
const sharedDir = process.env.LAAFFIC_SHARED_DIR ?? fileURLToPath(new URL('../../../shared', import.meta.url))
const vendorPage = join(sharedDir, 'vendor', '000_6d716bddcd38f7fe.txt')
describe.skipIf(!existsSync(vendorPage))("the vendor's printed example response", () => {
  const printed = () => {
    const text = readFileSync(vendorPage, 'utf8')
    const start = text.indexOf('{\n"status"')
    return text.slice(start, text.indexOf('\n| status |', start)).trim()
  }

  it('is not valid JSON as printed', () => {
    expect(() => JSON.parse(printed())).toThrow()
  })
  it('validates once its backslashes are escaped, and equals the spec example', () => {
    const fixed = JSON.parse(printed().replace(/\\(?!["\\/bfnrt])/g, '\\\\'))
    expect(v.errors('QueryResponse', fixed)).toEqual([])
    expect(fixed).toEqual(seedResponse)
  })
})
