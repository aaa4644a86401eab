import { OPERATIONS, operationStatus, STATUS_CODES } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import {
  createSpecValidator,
  loadSpec,
  specOperation,
  specOperations,
  specStatusCodes,
} from '../src/index.js'

const doc = loadSpec()
const v = createSpecValidator(doc)
const ops = specOperations(doc)

type Example = { value: unknown }
type Envelope = { status: unknown; reason: string }
const schemaName = (ref: string | undefined) => {
  expect(ref, 'a $ref to a component schema').toMatch(/^#\/components\/schemas\/\w+$/)
  return String(ref).slice('#/components/schemas/'.length)
}
const json = (content: Record<string, { schema: { $ref?: string }; examples?: Record<string, Example> }>) =>
  content['application/json']!
const responseOf = (operation: (typeof ops)[number]['operation']) => json(operation.responses['200'].content)
const responseExamples = (operation: (typeof ops)[number]['operation']) =>
  Object.entries(responseOf(operation).examples ?? {}) as [string, { value: Envelope }][]

const COMMON = [0, -1, -2, -16, -18]

describe('every operation', () => {
  it.each(ops.map((o) => [o.operationId, o] as const))(
    '%s has x-status-codes with the common block',
    (_id, o) => {
      const codes = specStatusCodes(doc, o.operationId).map((s) => s.code)
      expect(codes.slice(0, COMMON.length)).toEqual(COMMON)
      expect(new Set(codes).size).toBe(codes.length)
    },
  )

  it.each(ops.map((o) => [o.operationId, o] as const))('%s: every request example validates', (_id, o) => {
    const body = o.operation.requestBody
    const params = (o.operation.parameters ?? []) as {
      schema: { $ref?: string }
      examples?: Record<string, Example>
    }[]
    let checked = 0
    if (body) {
      const media = json(body.content)
      const name = schemaName(media.schema.$ref)
      for (const [ex, { value }] of Object.entries(media.examples ?? {})) {
        expect(v.errors(name, value), ex).toEqual([])
        checked++
      }
    }
    for (const p of params) {
      const name = schemaName(p.schema.$ref)
      for (const [ex, { value }] of Object.entries(p.examples ?? {})) {
        expect(v.errors(name, value), ex).toEqual([])
        checked++
      }
    }
    expect(checked, 'at least one request example').toBeGreaterThan(0)
  })

  it.each(ops.map((o) => [o.operationId, o] as const))('%s: every response example validates', (_id, o) => {
    const name = schemaName(responseOf(o.operation).schema.$ref)
    const examples = responseExamples(o.operation)
    for (const [ex, { value }] of examples) expect(v.errors(name, value), ex).toEqual([])
    expect(examples.some(([, e]) => Number(e.value.status) === 0)).toBe(true)
  })

  it.each(ops.map((o) => [o.operationId, o] as const))(
    '%s: one example per failure code, and no example for a code it does not list',
    (_id, o) => {
      const listed = specStatusCodes(doc, o.operationId).map((s) => s.code)
      const shown = new Set(responseExamples(o.operation).map(([, e]) => Number(e.value.status)))
      for (const code of listed) expect(shown.has(code), `example for ${code}`).toBe(true)
      for (const code of shown) expect(listed, `listed ${code}`).toContain(code)
    },
  )
})

describe('the spec and @laaffic-kit/protocol agree', () => {
  it('on the operations, their order, methods and paths', () => {
    expect(ops.map((o) => ({ id: o.operationId, method: o.method, path: o.path }))).toEqual(
      OPERATIONS.map((o) => ({ id: o.id, method: o.method, path: o.path })),
    )
  })

  it.each(OPERATIONS.map((o) => [o.id, o] as const))('on the codes and meanings of %s', (id, op) => {
    expect(specStatusCodes(doc, id).map(({ code, meaning }) => ({ code, meaning }))).toEqual(
      op.statuses.map(({ code, meaning }) => ({ code, meaning })),
    )
  })

  it.each(OPERATIONS.map((o) => [o.id, o] as const))('on the Chinese text of the shared codes (%s)', (id) => {
    for (const row of specStatusCodes(doc, id)) {
      const shared = STATUS_CODES.find((s) => s.code === row.code)
      expect(row.zh, `${id} ${row.code}`).toBe(shared?.zh)
    }
  })

  it.each(OPERATIONS.map((o) => [o.id, o] as const))("on the reasons %s's examples print", (id, op) => {
    for (const [ex, { value }] of responseExamples(specOperation(doc, id).operation)) {
      const row = operationStatus(op, Number(value.status))
      expect(row, ex).toBeDefined()
      expect(value.reason.startsWith(row!.reason), `${ex}: ${value.reason}`).toBe(true)
    }
  })
})

describe('specStatusCodes', () => {
  it('defaults to queryPreviewTasks, with or without a document', () => {
    expect(specStatusCodes(doc)).toEqual(specStatusCodes(doc, 'queryPreviewTasks'))
    expect(specStatusCodes().map((s) => s.code)).toEqual([0, -1, -2, -16, -18, -20, -22, -23])
  })
  it('takes an operationId alone', () => {
    expect(specStatusCodes('deleteSeatGroup').map((s) => s.code)).toEqual([
      0, -1, -2, -16, -18, -22, -24, -63, -64, -69, -70,
    ])
  })
  it('keeps meanings per operation', () => {
    const meaning = (id: string, code: number) =>
      specStatusCodes(doc, id).find((s) => s.code === code)?.meaning
    expect(meaning('deleteSeatGroup', -64)).not.toBe(meaning('updateSeat', -64))
  })
  it('throws for an unknown operation', () => {
    expect(() => specStatusCodes(doc, 'nope')).toThrow(/no operation nope/)
  })
})

describe('operation metadata', () => {
  it.each([
    ['queryPreviewTasks', 'Agent tasks'],
    ['querySeatGroups', 'Seat groups'],
    ['addSeatGroup', 'Seat groups'],
    ['updateSeatGroup', 'Seat groups'],
    ['deleteSeatGroup', 'Seat groups'],
    ['querySeats', 'Seats'],
    ['addSeats', 'Seats'],
    ['updateSeat', 'Seats'],
    ['batchSeats', 'Seats'],
    ['uploadPreviewFile', 'Agent tasks'],
    ['submitPreviewTask', 'Agent tasks'],
    ['editPreviewTask', 'Agent tasks'],
    ['cancelPreviewTask', 'Agent tasks'],
    ['resendPreviewTask', 'Agent tasks'],
  ])('%s is tagged %s and signed', (id, tag) => {
    const { operation } = specOperation(doc, id)
    expect(operation.tags).toEqual([tag])
    expect(operation.security).toEqual([{ ApiKey: [], Timestamp: [], Sign: [] }])
  })
  it('deleteSeatGroup is a GET with a required integer voiceGroupId and no body', () => {
    const o = specOperation(doc, 'deleteSeatGroup')
    expect(o.method).toBe('GET')
    expect(o.operation.requestBody).toBeUndefined()
    expect(o.operation.parameters).toMatchObject([{ name: 'voiceGroupId', in: 'query', required: true }])
    expect(v.validate('VoiceGroupId', 1123)).toBe(true)
    expect(v.validate('VoiceGroupId', '1123')).toBe(false)
  })
})
