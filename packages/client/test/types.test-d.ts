import { describe, expectTypeOf, it } from 'vitest'
import {
  AuthenticationError,
  createLaafficClient,
  type LaafficApiError,
  type LaafficError,
  LaafficHttpError,
  type QueryRequest,
  type TaskIterator,
  type TaskPage,
  type TaskRecord,
  type TaskStatus,
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
    void client.raw.POST('/v3/cc/seat/query', { body: {} })
  })

  it('rejects wrong options at compile time', () => {
    // @ts-expect-error apiSecret is required
    createLaafficClient({ apiKey: 'k' })
    // @ts-expect-error maxRetries is a number
    createLaafficClient({ apiKey: 'k', apiSecret: 's', maxRetries: '2' })
  })
})
