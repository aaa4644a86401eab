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

describe('agent-task writes', () => {
  const submit = () => example('submitPreviewTask', 'vendorRequest')
  const resend = () => example('resendPreviewTask', 'vendorRequest')

  it("keeps the sibling brand's Windows-style filePath as literal backslashes", () => {
    expect(submit().filePath).toBe('/mnt/cc\\upload\\execl\\202501101609012_A0987lj.xls')
  })

  it.each([
    ['SubmitPreviewTaskRequest', submit],
    ['ResendPreviewTaskRequest', resend],
  ] as const)('%s: type 1 needs exactly one seat group, appId and calloutRate', (name, body) => {
    for (const field of ['voiceGroupId', 'appId', 'calloutRate']) {
      const { [field]: _dropped, ...rest } = body()
      expect(v.errors(name, rest).join('\n'), field).toContain(`'${field}'`)
    }
    expect(v.errors(name, { ...body(), voiceGroupId: [] }).join('\n')).toContain('fewer than 1')
    expect(v.errors(name, { ...body(), voiceGroupId: [1, 2] }).join('\n')).toContain('more than 1')
  })

  it.each([
    ['SubmitPreviewTaskRequest', submit],
    ['ResendPreviewTaskRequest', resend],
  ] as const)('%s: type 0 takes any number of distinct groups (at most 50) and no appId', (name, body) => {
    const auto: Record<string, unknown> = { ...body(), type: 0 }
    for (const field of ['appId', 'calloutRate', 'voiceGroupId']) delete auto[field]
    expect(v.errors(name, auto)).toEqual([])
    expect(v.errors(name, { ...auto, voiceGroupId: [] })).toEqual([])
    expect(v.errors(name, { ...auto, voiceGroupId: [1, 2, 3] })).toEqual([])
    expect(v.validate(name, { ...auto, voiceGroupId: [1, 1] })).toBe(false)
    expect(v.validate(name, { ...auto, voiceGroupId: Array.from({ length: 51 }, (_, i) => i + 1) })).toBe(
      false,
    )
    expect(v.validate(name, { ...auto, type: 2 })).toBe(false)
  })

  it.each([
    ['maxRingingTime 19', { maxRingingTime: 19 }],
    ['maxRingingTime 121', { maxRingingTime: 121 }],
    ['a five-digit ccode', { ccode: '12345' }],
    ['a ccode with a plus', { ccode: '+91' }],
    ['a displayNum with a dash', { displayNum: '123-456' }],
    ['a 21-character displayNum', { displayNum: '1'.repeat(21) }],
    ['a 51-character remark', { remark: 'r'.repeat(51) }],
    ['calloutRate 0', { calloutRate: 0 }],
    ['an unknown field', { priority: 1 }],
  ])('submitPreviewTask rejects %s', (_n, extra) => {
    expect(v.validate('SubmitPreviewTaskRequest', { ...submit(), ...extra })).toBe(false)
  })

  it('submitPreviewTask has no calloutRate ceiling in the schema (the mock caps it)', () => {
    expect(v.errors('SubmitPreviewTaskRequest', { ...submit(), calloutRate: 1_000_000 })).toEqual([])
  })

  it.each([
    ['fileName of 4 characters', { fileName: 'a.xl' }],
    ['fileName of 33 characters', { fileName: `${'a'.repeat(29)}.xls` }],
    ['an empty filePath', { filePath: '' }],
    ['a 256-character filePath', { filePath: 'p'.repeat(256) }],
  ])('submitPreviewTask rejects %s', (_n, extra) => {
    expect(v.validate('SubmitPreviewTaskRequest', { ...submit(), ...extra })).toBe(false)
  })

  it.each([
    ['EditPreviewTaskRequest', { calloutRate: 1 }],
    ['CancelPreviewTaskRequest', {}],
    ['ResendPreviewTaskRequest', { resendType: 2, type: 0 }],
  ] as const)('%s takes taskId as an integer >= 1 or a digit string', (name, rest) => {
    for (const taskId of [123, '123', '5017560', '999999999999999999'])
      expect(v.errors(name, { ...rest, taskId }), String(taskId)).toEqual([])
    for (const taskId of [0, -1, 1.5, '', '0', '0123', 'abc', '12a', '1'.repeat(19), null])
      expect(v.validate(name, { ...rest, taskId }), String(taskId)).toBe(false)
    expect(v.errors(name, rest).join('\n')).toContain("'taskId'")
  })

  it('editPreviewTask requires calloutRate and takes a remark of at most 50', () => {
    expect(v.errors('EditPreviewTaskRequest', { taskId: 1 }).join('\n')).toContain("'calloutRate'")
    expect(v.validate('EditPreviewTaskRequest', { taskId: 1, calloutRate: 1, remark: 'r'.repeat(50) })).toBe(
      true,
    )
    expect(v.validate('EditPreviewTaskRequest', { taskId: 1, calloutRate: 1, remark: 'r'.repeat(51) })).toBe(
      false,
    )
  })

  it('resendPreviewTask takes resendType 1, 2 or 3', () => {
    for (const resendType of [1, 2, 3])
      expect(v.validate('ResendPreviewTaskRequest', { ...resend(), resendType })).toBe(true)
    expect(v.validate('ResendPreviewTaskRequest', { ...resend(), resendType: 4 })).toBe(false)
    const { resendType: _r, ...noType } = resend()
    expect(v.errors('ResendPreviewTaskRequest', noType).join('\n')).toContain("'resendType'")
  })

  it.each(['SubmitPreviewTaskResponse', 'ResendPreviewTaskResponse'])(
    '%s: data is a task id, null or absent',
    (name) => {
      expect(v.validate(name, { status: '0', reason: 'success', data: 5017560 })).toBe(true)
      expect(v.validate(name, { status: 0, reason: 'success', data: null })).toBe(true)
      expect(v.validate(name, { status: -74, reason: 'x' })).toBe(true)
      expect(v.validate(name, { status: 0, reason: 'success', data: '5017560' })).toBe(false)
      expect(v.validate(name, { status: 0, reason: 'success', data: 0 })).toBe(false)
    },
  )
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
    for (const name of [
      'SeatRecord',
      'AddSeatListRequest',
      'UpdateSeatRequest',
      'TaskRecord',
      'SubmitPreviewTaskRequest',
      'ResendPreviewTaskRequest',
    ])
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
