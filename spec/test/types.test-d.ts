import { describe, expectTypeOf, it } from 'vitest'
import type { components, operations } from '../src/index.js'

type Schemas = components['schemas']
type Record = Schemas['TaskRecord']
type Request = Schemas['QueryRequest']

describe('generated types', () => {
  it('types the numeric-string fields as strings', () => {
    expectTypeOf<Record['numberTotalCount']>().toEqualTypeOf<string>()
    expectTypeOf<Record['numberSameCount']>().toEqualTypeOf<string>()
    expectTypeOf<Record['appId']>().toEqualTypeOf<string>()
    expectTypeOf<Record['completedRate']>().toEqualTypeOf<number | string>()
  })
  it('keeps vendor nulls', () => {
    expectTypeOf<Record['remark']>().toEqualTypeOf<string | null>()
    expectTypeOf<Record['callFinishCount']>().toEqualTypeOf<number | null>()
    expectTypeOf<Record['taskId']>().toEqualTypeOf<number>()
  })
  it('requires current, size and params', () => {
    expectTypeOf<Request>().toHaveProperty('size')
    // @ts-expect-error size is required
    const missingSize: Request = { current: 1, params: {} }
    // @ts-expect-error taskId is a string on the request side
    const numericTaskId: Request = { current: 1, size: 1, params: { taskId: 1 } }
    // @ts-expect-error 3 is not a task status
    const badStatus: Request = { current: 1, size: 1, params: { taskStatus: [3] } }
    void [missingSize, numericTaskId, badStatus]
  })
  it('accepts status as a number or a string', () => {
    expectTypeOf<Schemas['QueryResponse']['status']>().toEqualTypeOf<number | string>()
    expectTypeOf<operations['queryPreviewTasks']['requestBody']>().not.toBeUndefined()
  })
  it('types the family: per-vendor quirks survive generation', () => {
    expectTypeOf<Schemas['UpdateSeatRequest']['voiceGroupId']>().toEqualTypeOf<string | number>()
    expectTypeOf<Schemas['AddSeatGroupRequest']['appId']>().toEqualTypeOf<string>()
    expectTypeOf<Schemas['SeatRecord']['petName']>().toEqualTypeOf<string | null>()
    expectTypeOf<Schemas['SeatRecord']['num']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<Schemas['SeatGroupPage']['searchCount']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<Schemas['TaskPage']['searchCount']>().toEqualTypeOf<boolean>()
    expectTypeOf<Schemas['BatchSeatRequest']['type']>().toEqualTypeOf<2 | 3 | 4>()
    expectTypeOf<Schemas['SeatQueryParams']['strTime']>().toEqualTypeOf<string>()
    expectTypeOf<
      operations['deleteSeatGroup']['parameters']['query']['voiceGroupId']
    >().toEqualTypeOf<number>()
    expectTypeOf<Schemas['EmptyResponse']['data']>().toEqualTypeOf<null | undefined>()
    // @ts-expect-error strTime and endTime are required on the newer seat/query page
    const olderSeatQuery: Schemas['SeatQueryRequest'] = { current: 1, size: 15, params: { enable: 0 } }
    void olderSeatQuery
  })
})

describe('operation ids', () => {
  it("protocol's OperationId is exactly the spec's operationIds", () => {
    expectTypeOf<import('@laaffic-kit/protocol').OperationId>().toEqualTypeOf<
      import('../src/index.js').SpecOperationId
    >()
  })
})
