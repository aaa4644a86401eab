import { describe, expect, it } from 'vitest'
import {
  createSpecValidator,
  loadSpec,
  type OpenApiDocument,
  sensitiveFields,
  specOperation,
} from '../src/index.js'

const doc = loadSpec()
const v = createSpecValidator(doc)
const example = (id: string, name: string, where: 'request' | 'response' = 'request') => {
  const { operation } = specOperation(doc, id)
  const media =
    where === 'request'
      ? operation.requestBody.content['application/json']
      : operation.responses['200'].content['application/json']
  return structuredClone(media.examples[name].value) as Record<string, unknown>
}
const seatRecord = () =>
  (example('querySeats', 'seatPage', 'response') as { data: { records: Record<string, unknown>[] } }).data
    .records[0]!
const window = { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 12:12:12' }

describe('seat groups', () => {
  it.each([
    ['current 0', { current: 0, size: 10, params: {} }, '/current must be >= 1'],
    ['size 101', { current: 1, size: 101, params: {} }, '/size must be <= 100'],
    ['no params', { current: 1, size: 10 }, "must have required property 'params'"],
    [
      'unknown filter',
      { current: 1, size: 10, params: { name: 'x' } },
      "must NOT have additional properties 'name'",
    ],
  ])('querySeatGroups rejects %s', (_n, body, message) => {
    expect(v.errors('SeatGroupQueryRequest', body).join('\n')).toContain(message)
  })

  it("accepts a page with and without searchCount (the vendor's sample has none, the mock sends it)", () => {
    const page = example('querySeatGroups', 'vendorResponse', 'response').data as Record<string, unknown>
    expect(page.searchCount).toBeUndefined()
    expect(v.errors('SeatGroupPage', page)).toEqual([])
    expect(v.errors('SeatGroupPage', { ...page, searchCount: true })).toEqual([])
    expect(v.errors('SeatGroupPage', { ...page, records: undefined }).join('\n')).toContain("'records'")
  })

  it('rejects an unknown callinStrategy', () => {
    const page = example('querySeatGroups', 'vendorResponse', 'response').data as { records: object[] }
    expect(v.validate('SeatGroupRecord', { ...page.records[0], callinStrategy: 5 })).toBe(false)
  })

  it.each([
    ['a 3-character name', { appId: 'HsiT9A6d', groupName: 'abc' }, '/groupName must NOT have fewer than 4'],
    [
      'a 33-character name',
      { appId: 'HsiT9A6d', groupName: 'a'.repeat(33) },
      '/groupName must NOT have more than 32',
    ],
    [
      'a numeric appId (the table says Integer, every sample sends a string)',
      { appId: 1000009, groupName: 'test-1' },
      '/appId must be string',
    ],
    ['no appId', { groupName: 'test-1' }, "must have required property 'appId'"],
  ])('addSeatGroup rejects %s', (_n, body, message) => {
    expect(v.errors('AddSeatGroupRequest', body).join('\n')).toContain(message)
  })

  it('updateSeatGroup takes an integer voiceGroupId and a 4–32 name', () => {
    expect(v.validate('UpdateSeatGroupRequest', { voiceGroupId: 123, groupName: 'sipGroup' })).toBe(true)
    expect(v.validate('UpdateSeatGroupRequest', { voiceGroupId: '123', groupName: 'sipGroup' })).toBe(false)
    expect(v.validate('UpdateSeatGroupRequest', { voiceGroupId: 123, groupName: 'sip' })).toBe(false)
  })

  it('EmptyResponse takes a null or absent data and nothing else', () => {
    expect(v.validate('EmptyResponse', { status: '0', reason: 'success', data: null })).toBe(true)
    expect(v.validate('EmptyResponse', { status: -24, reason: 'Data does not exist' })).toBe(true)
    expect(v.validate('EmptyResponse', { status: 0, reason: 'success', data: {} })).toBe(false)
    expect(v.validate('EmptyResponse', { status: 0 })).toBe(false)
  })
})

describe('seats', () => {
  it.each([
    ['no statistics window (the older page)', { current: 1, size: 15, params: { enable: 0 } }, "'strTime'"],
    [
      'a date without time',
      { current: 1, size: 15, params: { ...window, strTime: '2025-01-01' } },
      '/params/strTime must match pattern',
    ],
    [
      'status 6',
      { current: 1, size: 15, params: { ...window, status: 6 } },
      '/params/status must be equal to one of',
    ],
    [
      'enable 2',
      { current: 1, size: 15, params: { ...window, enable: 2 } },
      '/params/enable must be equal to one of',
    ],
  ])('querySeats rejects %s', (_n, body, message) => {
    expect(v.errors('SeatQueryRequest', body).join('\n')).toContain(message)
  })

  it('SeatRecord allows the truncated tail, the older page and the states the request lists', () => {
    const record = seatRecord()
    expect(v.errors('SeatRecord', { ...record, someLaterField: 'x' })).toEqual([])
    const { num: _n, connectNum: _c, connectRate: _r, ...older } = record
    expect(v.errors('SeatRecord', older)).toEqual([])
    expect(
      v.errors('SeatRecord', { ...record, status: 5, petName: null, displayNum: null, ccode: null }),
    ).toEqual([])
    expect(v.errors('SeatRecord', { ...record, status: 6 }).join('\n')).toContain('/status must be equal')
    const { password: _p, ...withoutPassword } = record
    expect(v.errors('SeatRecord', withoutPassword).join('\n')).toContain("'password'")
  })

  it('addSeats takes a size of at least 1 and answers a list of created seats', () => {
    expect(v.validate('AddSeatListRequest', { voiceGroupId: 12, size: 0 })).toBe(false)
    expect(v.validate('AddSeatListRequest', { voiceGroupId: 12, size: 1 })).toBe(true)
    expect(v.validate('AddSeatListResponse', { status: '0', reason: 'success', data: [{ keyId: 1 }] })).toBe(
      false,
    )
    expect(v.validate('AddSeatListResponse', { status: -36, reason: 'x', data: null })).toBe(true)
  })

  it('updateSeat accepts voiceGroupId as a digit string or an integer, nothing else', () => {
    const body = example('updateSeat', 'vendorRequest')
    expect(v.validate('UpdateSeatRequest', { ...body, voiceGroupId: '12' })).toBe(true)
    expect(v.validate('UpdateSeatRequest', { ...body, voiceGroupId: 12 })).toBe(true)
    expect(v.validate('UpdateSeatRequest', { ...body, voiceGroupId: 'twelve' })).toBe(false)
    expect(v.validate('UpdateSeatRequest', { ...body, voiceGroupId: 0 })).toBe(false)
    expect(v.validate('UpdateSeatRequest', { ...body, voiceGroupId: 1.5 })).toBe(false)
  })

  it('updateSeat leaves the password charset to the vendor (in-band -64), not to a schema pattern', () => {
    const body = example('updateSeat', 'vendorRequest')
    // A validating proxy (Prism) would answer 422 before the vendor's -64 could be seen.
    expect(v.errors('UpdateSeatRequest', { ...body, password: 'pa-ss' })).toEqual([])
    const { empNo: _e, ...noEmpNo } = body
    expect(v.errors('UpdateSeatRequest', noEmpNo).join('\n')).toContain("'empNo'")
  })

  it.each([
    ['type 1', { type: 1, idList: [12] }],
    ['an empty idList', { type: 2, idList: [] }],
    ['string ids', { type: 2, idList: ['12'] }],
    ['no idList', { type: 3 }],
  ])('batchSeats rejects %s', (_n, body) => {
    expect(v.validate('BatchSeatRequest', body)).toBe(false)
  })
})

describe('errorObjects', () => {
  it('gives the keyword, path and params the mock words its -22 from', () => {
    expect(
      v.errorObjects('SeatQueryRequest', { current: 1, size: 15, params: { strTime: window.strTime } }),
    ).toEqual([
      expect.objectContaining({
        keyword: 'required',
        instancePath: '/params',
        params: { missingProperty: 'endTime' },
      }),
    ])
    expect(v.errorObjects('BatchSeatRequest', { type: 2, idList: [1] })).toEqual([])
  })
})

describe('sensitiveFields', () => {
  it('lists the seat password, the phone-number fields and the uploaded file of the spec', () => {
    expect(sensitiveFields(doc)).toEqual({
      password: ['password'],
      phone: ['callingNumber', 'displayNum'],
      file: ['file'],
    })
  })

  it('marks the seat password on both sides and every displayNum', () => {
    const s = doc.components.schemas
    expect(s.SeatRecord.properties.password['x-sensitive']).toBe('password')
    expect(s.UpdateSeatRequest.properties.password['x-sensitive']).toBe('password')
    for (const name of ['SeatRecord', 'AddSeatListRequest', 'UpdateSeatRequest', 'TaskRecord'])
      expect(s[name].properties.displayNum['x-sensitive'], name).toBe('phone')
  })

  it('finds markers nested in allOf, items and inline objects, and keeps unknown kinds', () => {
    const synthetic: OpenApiDocument = {
      components: {
        schemas: {
          A: {
            allOf: [
              {
                type: 'object',
                properties: { inner: { type: 'object', properties: { pin: { 'x-sensitive': 'password' } } } },
              },
              {
                type: 'object',
                properties: {
                  list: { type: 'array', items: { properties: { mobile: { 'x-sensitive': 'phone' } } } },
                },
              },
            ],
          },
          B: {
            properties: {
              mobile: { 'x-sensitive': 'phone' },
              token: { 'x-sensitive': 'token' },
              plain: { type: 'string' },
            },
          },
        },
      },
    }
    expect(sensitiveFields(synthetic)).toEqual({ password: ['pin'], phone: ['mobile'], token: ['token'] })
    expect(sensitiveFields({ components: {} })).toEqual({ password: [], phone: [] })
  })
})
