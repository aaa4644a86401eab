import type { OperationId } from '@laaffic-kit/protocol'
import { describe, expectTypeOf, it } from 'vitest'
import {
  AuthenticationError,
  type components,
  createLaafficClient,
  createLaafficCore,
  type LaafficApiError,
  type LaafficError,
  LaafficHttpError,
  type PageIterator,
  type QueryRequest,
  type RequestOptions,
  Seats,
  type TaskIterator,
  type TaskNotFoundError,
  type TaskPage,
  type TaskRecord,
  type TaskStatus,
  type UploadedFile,
} from '../src/index.js'

const client = createLaafficClient({ apiKey: 'k', apiSecret: 's' })

describe('types', () => {
  it('types the request body', () => {
    expectTypeOf<QueryRequest['current']>().toEqualTypeOf<number>()
    expectTypeOf<TaskStatus>().toEqualTypeOf<1 | 2 | 11 | 12 | 13 | 14 | 15 | 16>()
    void client.queryTasks({
      current: 1,
      size: 15,
      params: { taskStatus: [12, 14], taskType: 1, finishFlag: 0 },
    })
    // @ts-expect-error 3 is not a task status
    void client.queryTasks({ current: 1, size: 15, params: { taskStatus: [3] } })
    // @ts-expect-error taskId is a string in the request
    void client.queryTasks({ current: 1, size: 15, params: { taskId: 5000525 } })
    // @ts-expect-error params is required
    void client.queryTasks({ current: 1, size: 15 })
    // @ts-expect-error current is a number
    void client.queryTasks({ current: '1', size: 15, params: {} })
    // @ts-expect-error unknown filter
    void client.queryTasks({ current: 1, size: 15, params: { status: [12] } })
    // @ts-expect-error timeoutMs is a number
    void client.queryTasks({ current: 1, size: 15, params: {} }, { timeoutMs: '5' })
    void client.queryTasks({ current: 1, size: 15, params: {} }, { headers: { 'X-Mock-Status': '-22' } })
  })

  it('types the page and its records', () => {
    expectTypeOf(client.queryTasks).returns.resolves.toEqualTypeOf<TaskPage>()
    expectTypeOf<TaskRecord['numberTotalCount']>().toEqualTypeOf<string>()
    expectTypeOf<TaskRecord['appId']>().toEqualTypeOf<string>()
    expectTypeOf<TaskRecord['taskId']>().toEqualTypeOf<number>()
    expectTypeOf<TaskRecord['completedRate']>().toEqualTypeOf<number | string>()
    expectTypeOf<TaskRecord['callFinishCount']>().toEqualTypeOf<number | null>()
    expectTypeOf<TaskRecord['taskStatus']>().toEqualTypeOf<TaskStatus>()
  })

  it('types iteration', async () => {
    const iter = client.iterateTasks({ params: { taskStatus: [12] } })
    expectTypeOf(iter).toEqualTypeOf<TaskIterator>()
    expectTypeOf(iter).toMatchTypeOf<AsyncIterable<TaskRecord>>()
    expectTypeOf(iter.toArray()).resolves.toEqualTypeOf<TaskRecord[]>()
    expectTypeOf(iter.pages()).toMatchTypeOf<AsyncIterable<TaskPage>>()
    for await (const task of iter) expectTypeOf(task.numberSameCount).toBeString()
    // @ts-expect-error params is still required
    client.iterateTasks({ size: 10 })
  })

  it('narrows errors with instanceof', () => {
    const e: unknown = null
    if (e instanceof AuthenticationError) {
      expectTypeOf(e).toMatchTypeOf<LaafficApiError>()
      expectTypeOf(e.code).toBeNumber()
      expectTypeOf(e.requestId).toEqualTypeOf<string | undefined>()
    }
    if (e instanceof LaafficHttpError) {
      expectTypeOf(e.httpStatus).toBeNumber()
      expectTypeOf(e).toMatchTypeOf<LaafficError>()
      // @ts-expect-error HTTP errors have no in-band code
      void e.code
    }
  })

  it('exposes the typed raw client', () => {
    void client.raw.POST('/v3/cc/preview/query', { body: { current: 1, size: 1, params: {} } })
    // @ts-expect-error not a path of the spec
    void client.raw.POST('/v3/cc/teamleader/query', { body: {} })
    void client.raw.GET('/v3/cc/seatGroup/deleteGroup', { params: { query: { voiceGroupId: 1 } } })
  })

  it('rejects wrong options at compile time', () => {
    // @ts-expect-error apiSecret is required
    createLaafficClient({ apiKey: 'k' })
    // @ts-expect-error maxRetries is a number
    createLaafficClient({ apiKey: 'k', apiSecret: 's', maxRetries: '2' })
  })
})

type S = components['schemas']

describe('resource types come from the generated schema', () => {
  it("types each method's argument as the operation's request body (or query)", () => {
    expectTypeOf(client.seatGroups.query).parameter(0).toEqualTypeOf<S['SeatGroupQueryRequest']>()
    expectTypeOf(client.seatGroups.add).parameter(0).toEqualTypeOf<S['AddSeatGroupRequest']>()
    expectTypeOf(client.seatGroups.update).parameter(0).toEqualTypeOf<S['UpdateSeatGroupRequest']>()
    expectTypeOf(client.seatGroups.delete).parameter(0).toEqualTypeOf<{ voiceGroupId: number }>()
    expectTypeOf(client.seats.query).parameter(0).toEqualTypeOf<S['SeatQueryRequest']>()
    expectTypeOf(client.seats.addList).parameter(0).toEqualTypeOf<S['AddSeatListRequest']>()
    expectTypeOf(client.seats.update).parameter(0).toEqualTypeOf<S['UpdateSeatRequest']>()
    expectTypeOf(client.seats.batch).parameter(0).toEqualTypeOf<S['BatchSeatRequest']>()
    expectTypeOf(client.previewTasks.query).parameter(0).toEqualTypeOf<S['QueryRequest']>()
    expectTypeOf(client.seats.batch).parameter(1).toEqualTypeOf<RequestOptions | undefined>()
  })

  it("types each result as the component of the envelope's data", () => {
    expectTypeOf(client.seatGroups.query).returns.resolves.toEqualTypeOf<S['SeatGroupPage']>()
    expectTypeOf(client.seats.query).returns.resolves.toEqualTypeOf<S['SeatPage']>()
    expectTypeOf(client.seats.addList).returns.resolves.toEqualTypeOf<S['CreatedSeat'][]>()
    expectTypeOf(client.previewTasks.query).returns.resolves.toEqualTypeOf<S['TaskPage']>()
    for (const method of [client.seatGroups.add, client.seatGroups.update, client.seatGroups.delete]) {
      expectTypeOf(method).returns.resolves.toEqualTypeOf<null>()
    }
    expectTypeOf(client.seats.update).returns.resolves.toEqualTypeOf<null>()
    expectTypeOf(client.seats.batch).returns.resolves.toEqualTypeOf<null>()
    expectTypeOf<S['SeatRecord']['password']>().toEqualTypeOf<string>()
  })

  it('types iteration per resource', async () => {
    const seats = client.seats.iterate({
      params: { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' },
    })
    expectTypeOf(seats).toEqualTypeOf<PageIterator<S['SeatQueryRequest'], S['SeatPage']>>()
    expectTypeOf(seats.toArray()).resolves.toEqualTypeOf<S['SeatRecord'][]>()
    for await (const group of client.seatGroups.iterate({ params: {} })) {
      expectTypeOf(group).toEqualTypeOf<S['SeatGroupRecord']>()
    }
    for await (const page of client.seatGroups.iterate({ size: 5, params: { groupName: 'g' } }).pages()) {
      expectTypeOf(page).toEqualTypeOf<S['SeatGroupPage']>()
    }
    expectTypeOf(client.previewTasks.iterate({ params: {} })).toEqualTypeOf<TaskIterator>()
  })

  it('rejects wrong bodies at compile time', () => {
    const window = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-31 00:00:00' }
    // @ts-expect-error strTime and endTime are required
    void client.seats.query({ current: 1, size: 15, params: {} })
    // @ts-expect-error unknown seat filter
    void client.seats.query({ current: 1, size: 15, params: { ...window, groupName: 'x' } })
    // @ts-expect-error status 6 is not a seat status
    void client.seats.query({ current: 1, size: 15, params: { ...window, status: 6 } })
    // @ts-expect-error strTime is still required when iterating
    void client.seats.iterate({ params: { endTime: '2025-01-31 00:00:00' } })
    // @ts-expect-error unknown group filter
    void client.seatGroups.query({ current: 1, size: 15, params: { name: 'x' } })
    // @ts-expect-error appId is required
    void client.seatGroups.add({ groupName: 'abcd' })
    // @ts-expect-error voiceGroupId is a number
    void client.seatGroups.update({ voiceGroupId: 'abc', groupName: 'abcd' })
    // @ts-expect-error delete takes { voiceGroupId }, not a bare id
    void client.seatGroups.delete(5)
    // @ts-expect-error voiceGroupId is a number in the query
    void client.seatGroups.delete({ voiceGroupId: '5' })
    // @ts-expect-error size is required
    void client.seats.addList({ voiceGroupId: 1 })
    // @ts-expect-error empNo is required
    void client.seats.update({ keyId: 1, name: 'n', voiceGroupId: 1 })
    // @ts-expect-error 5 is not a batch operation
    void client.seats.batch({ type: 5, idList: [1] })
    // @ts-expect-error idList holds numbers
    void client.seats.batch({ type: 2, idList: ['1'] })
    // @ts-expect-error retryWrites is 'unprocessed' or 'always'
    void client.seats.batch({ type: 2, idList: [1] }, { retryWrites: 'sometimes' })
    void client.seats.batch({ type: 2, idList: [1] }, { retryWrites: 'always', maxRetries: 1 })
  })

  it('one resource over the core alone', () => {
    const seats = new Seats(createLaafficCore({ apiKey: 'k', apiSecret: 's', retryWrites: 'unprocessed' }))
    expectTypeOf(seats.addList).returns.resolves.toEqualTypeOf<S['CreatedSeat'][]>()
    // @ts-expect-error retryWrites is 'unprocessed' or 'always'
    createLaafficCore({ apiKey: 'k', apiSecret: 's', retryWrites: true })
  })

  it('types the upload: bytes in, the stored file out', () => {
    expectTypeOf(client.previewFiles.upload).returns.resolves.toEqualTypeOf<UploadedFile>()
    expectTypeOf<UploadedFile['numberTotalCount']>().toEqualTypeOf<number>()
    void client.previewFiles.upload({ fileName: 'numbers.xls', file: new Uint8Array(4) })
    void client.previewFiles.upload({ fileName: 'numbers.xls', file: new ArrayBuffer(4) })
    void client.previewFiles.upload({ fileName: 'numbers.xls', file: new Blob([]) })
    // @ts-expect-error the client encodes the bytes itself: not a base64 string
    void client.previewFiles.upload({ fileName: 'numbers.xls', file: 'UEsDBA==' })
    // @ts-expect-error fileName is required
    void client.previewFiles.upload({ file: new Uint8Array(4) })
  })

  it('API errors carry the operation and its meaning', () => {
    const e: unknown = null
    if (e instanceof AuthenticationError) {
      // Every operationId of the spec (protocol's OperationId; spec/test/types.test-d.ts holds them equal).
      expectTypeOf(e.operation).toEqualTypeOf<OperationId | undefined>()
      expectTypeOf(e.meaning).toEqualTypeOf<string | undefined>()
    }
  })

  it('types the agent-task writes and waitFor', () => {
    expectTypeOf(client.previewTasks.submit).returns.resolves.toEqualTypeOf<number | null>()
    expectTypeOf(client.previewTasks.resend).returns.resolves.toEqualTypeOf<number | null>()
    expectTypeOf(client.previewTasks.edit).returns.resolves.toEqualTypeOf<null>()
    expectTypeOf(client.previewTasks.cancel).returns.resolves.toEqualTypeOf<null>()
    expectTypeOf(client.previewTasks.waitFor).returns.resolves.toEqualTypeOf<TaskRecord>()
    void client.previewTasks.submit({ filePath: '/a', fileName: 'a.xls', type: 0 })
    // @ts-expect-error type is 0 or 1
    void client.previewTasks.submit({ filePath: '/a', fileName: 'a.xls', type: 2 })
    // @ts-expect-error filePath is required
    void client.previewTasks.submit({ fileName: 'a.xls', type: 0 })
    void client.previewTasks.edit({ taskId: '5017560', calloutRate: 1 })
    // @ts-expect-error calloutRate is required
    void client.previewTasks.edit({ taskId: 1 })
    void client.previewTasks.cancel({ taskId: 1 })
    void client.previewTasks.resend({ taskId: 1, resendType: 3, type: 0 })
    // @ts-expect-error resendType is 1, 2 or 3
    void client.previewTasks.resend({ taskId: 1, resendType: 4, type: 0 })
    void client.previewTasks.waitFor(1, { until: 12 })
    void client.previewTasks.waitFor('1', {
      until: [11, 12],
      pollMs: 100,
      signal: new AbortController().signal,
    })
    // @ts-expect-error 3 is not a task status
    void client.previewTasks.waitFor(1, { until: 3 })
    // @ts-expect-error unknown option
    void client.previewTasks.waitFor(1, { interval: 100 })
    expectTypeOf<TaskNotFoundError['taskId']>().toEqualTypeOf<string>()
    expectTypeOf<TaskNotFoundError>().toMatchTypeOf<LaafficError>()
  })
})
