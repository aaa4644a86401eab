import { computeSign, OPERATIONS, type OperationId } from '@laaffic-kit/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  LaafficApiError,
  type LaafficClient,
  ParameterError,
  TaskNotFoundError,
  type TaskRecord,
  type TaskStatus,
  type WaitForTaskOptions,
} from '../src/index.js'
import {
  captureLogger,
  client,
  fail,
  json,
  KEY,
  ok,
  okData,
  page,
  record,
  SECRET,
  stubFetch,
  views,
} from './helpers.js'

// The four agent-task writes at the wire, and waitFor over a fake fetch (the mock's handlers for
// these land separately; the contract tests cover client + mock together).

const SUBMIT = {
  filePath: '/mnt/cc\\upload\\execl\\202501101609012_A0987lj.xls',
  voiceGroupId: [1000006],
  appId: 'iaAJ6COV',
  calloutRate: 1,
  type: 1 as const,
  fileName: 'Template_voice_numFiles_cn1.xls',
  displayNum: '8613512345678',
}
const RESEND = {
  taskId: 123,
  resendType: 1 as const,
  voiceGroupId: [1000006],
  appId: 'iaAJ6COV',
  calloutRate: 1,
  type: 1 as const,
}

type Call = (c: LaafficClient) => Promise<unknown>
const CALLS: Array<[OperationId, string, Call, unknown]> = [
  ['submitPreviewTask', '/v3/cc/preview/submitTask', (c) => c.previewTasks.submit(SUBMIT), SUBMIT],
  [
    'editPreviewTask',
    '/v3/cc/preview/agent/editTask',
    (c) => c.previewTasks.edit({ taskId: 123, remark: '123', calloutRate: 1 }),
    { taskId: 123, remark: '123', calloutRate: 1 },
  ],
  [
    'cancelPreviewTask',
    '/v3/cc/preview/agent/cancelTask',
    (c) => c.previewTasks.cancel({ taskId: '5017560' }),
    { taskId: '5017560' },
  ],
  ['resendPreviewTask', '/v3/cc/preview/resendTask', (c) => c.previewTasks.resend(RESEND), RESEND],
]
const callOf = (id: OperationId) => CALLS.find(([op]) => op === id)![2]

describe('agent-task writes on the wire', () => {
  it.each(CALLS)('%s: a signed JSON POST to %s with the body as given', async (_id, path, call, body) => {
    const { fetch, requests } = stubFetch(okData(null))
    const now = 1_630_468_800_000
    await call(client({ fetch, now: () => now }))
    expect(requests).toHaveLength(1)
    const req = requests[0]!
    expect(req.method).toBe('POST')
    expect(new URL(req.url).pathname).toBe(path)
    expect(req.headers.get('content-type')).toMatch(/^application\/json/)
    expect(req.headers.get('Api-Key')).toBe(KEY)
    expect(req.headers.get('Timestamp')).toBe('1630468800')
    expect(req.headers.get('Sign')).toBe(computeSign(KEY, SECRET, 1_630_468_800))
    expect(await req.json()).toEqual(body)
  })

  it('submit and resend resolve with the new task id', async () => {
    const { fetch } = stubFetch(okData(5017560), okData(5017561, 0))
    const c = client({ fetch })
    await expect(c.previewTasks.submit(SUBMIT)).resolves.toBe(5017560)
    await expect(c.previewTasks.resend(RESEND)).resolves.toBe(5017561)
  })

  it("submit and resend resolve with null where the server answers as the vendor's older pages do", async () => {
    const { fetch } = stubFetch(okData(null), json({ status: '0', reason: 'success' }))
    const c = client({ fetch })
    await expect(c.previewTasks.submit(SUBMIT)).resolves.toBeNull()
    await expect(c.previewTasks.resend(RESEND)).resolves.toBeNull()
  })

  it('edit and cancel resolve with the empty data', async () => {
    const { fetch } = stubFetch(okData(null))
    const c = client({ fetch })
    await expect(c.previewTasks.edit({ taskId: 1, calloutRate: 1 })).resolves.toBeNull()
    await expect(c.previewTasks.cancel({ taskId: 1 })).resolves.toBeNull()
  })
})

// Every operation-specific code of the four tables, with the meaning written out here (not read
// back from the table) so a wrong or missing row fails.
const OWN_CODES: Array<[OperationId, number, RegExp]> = [
  ['submitPreviewTask', -43, /header columns must not repeat/],
  ['submitPreviewTask', -74, /seat group does not belong to the current application/],
  ['submitPreviewTask', -77, /no minimum rate/],
  ['editPreviewTask', -36, /calloutRate is above what may be set/],
  ['editPreviewTask', -41, /wrong task state/],
  ['cancelPreviewTask', -41, /wrong task state/],
  ['resendPreviewTask', -41, /wrong task state/],
  ['resendPreviewTask', -42, /number count is 0/],
  ['resendPreviewTask', -74, /seat group does not belong to the current application/],
  ['resendPreviewTask', -77, /no minimum rate/],
]

describe('operation-specific codes', () => {
  it.each(OWN_CODES)(
    '%s %i → LaafficApiError with the operation and its meaning',
    async (id, code, meaning) => {
      const { fetch } = stubFetch(fail(String(code), 'vendor text'))
      const error = await callOf(id)(client({ fetch })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LaafficApiError)
      expect((error as Error).constructor).toBe(LaafficApiError)
      expect(error).toMatchObject({ code, reason: 'vendor text', operation: id })
      expect((error as LaafficApiError).meaning).toMatch(meaning)
      expect((error as LaafficApiError).meaning).toBe(
        OPERATIONS.find((o) => o.id === id)!.statuses.find((s) => s.code === code)!.meaning,
      )
      expect(fetch).toHaveBeenCalledTimes(1)
    },
  )

  it('a code the operation does not list keeps the number, with no meaning (-42 on submit)', async () => {
    const { fetch } = stubFetch(fail(-42, 'Number count is 0'))
    const error = await callOf('submitPreviewTask')(client({ fetch })).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: -42, operation: 'submitPreviewTask', meaning: undefined })
  })

  it('-22 is still a ParameterError, now naming the operation', async () => {
    const { fetch } = stubFetch(fail(-22, 'Parameter exception: calloutRate is required'))
    const error = await callOf('editPreviewTask')(client({ fetch })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ParameterError)
    expect(error).toMatchObject({ operation: 'editPreviewTask', meaning: 'parameter error' })
  })

  it('a caller number the server echoes is masked on the error and never logged', async () => {
    const { logger, lines } = captureLogger()
    const { fetch } = stubFetch(
      json({ status: -22, reason: 'Parameter exception', data: { displayNum: SUBMIT.displayNum } }),
    )
    const error = await client({ fetch, logger })
      .previewTasks.submit(SUBMIT)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ParameterError)
    for (const text of [...views(error), ...lines]) expect(text).not.toContain(SUBMIT.displayNum)
    expect(lines.length).toBeGreaterThan(0)
  })
})

describe('previewTasks.waitFor', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** A fetch that answers each poll with the next record of `states` (the last one repeats). */
  const polls = (...states: Array<TaskRecord | null>) =>
    stubFetch(...states.map((r) => ok(page(r ? [r] : []))))
  const at = (taskStatus: TaskStatus, taskId = 5017560) => record(taskId, { taskStatus, finishFlag: 0 })

  /** Starts a wait under fake timers; the caller moves the clock. */
  function start(states: Array<TaskRecord | null>, taskId: number | string, options?: WaitForTaskOptions) {
    vi.useFakeTimers()
    const { fetch, requests } = polls(...states)
    const settled = client({ fetch })
      .previewTasks.waitFor(taskId, options)
      .then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      )
    return { fetch, requests, settled }
  }

  it('polls query by taskId every pollMs (default 2000) and resolves with the record at a terminal status', async () => {
    const { fetch, requests, settled } = start([at(16), at(11), at(12)], 5017560)
    await vi.advanceTimersByTimeAsync(0)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1999)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fetch).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(await settled).toEqual({ value: at(12) })
    expect(fetch).toHaveBeenCalledTimes(3)
    for (const req of requests) {
      expect(new URL(req.url).pathname).toBe('/v3/cc/preview/query')
      expect(await req.json()).toEqual({ current: 1, size: 10, params: { taskId: '5017560' } })
    }
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each([13, 14] as const)('stops at %i too (the default set is 12, 13, 14)', async (status) => {
    const { settled } = start([at(15), at(status)], '5017560')
    await vi.advanceTimersByTimeAsync(2000)
    expect(await settled).toEqual({ value: at(status) })
  })

  it('keeps polling through the non-terminal statuses', async () => {
    const { fetch, settled } = start([at(16), at(11), at(15), at(1), at(2), at(14)], 5017560, { pollMs: 50 })
    await vi.advanceTimersByTimeAsync(50 * 5)
    expect(await settled).toEqual({ value: at(14) })
    expect(fetch).toHaveBeenCalledTimes(6)
  })

  it('takes one status', async () => {
    const { settled } = start([at(16), at(11)], 5017560, { until: 11, pollMs: 100 })
    await vi.advanceTimersByTimeAsync(100)
    expect(await settled).toEqual({ value: at(11) })
  })

  it('takes a list of statuses, resolving at the first one reached', async () => {
    const { fetch, settled } = start([at(16), at(11), at(15), at(14)], 5017560, {
      until: [15, 14],
      pollMs: 100,
    })
    await vi.advanceTimersByTimeAsync(200)
    expect(await settled).toEqual({ value: at(15) })
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('resolves on the first poll, without sleeping, when the task is already there', async () => {
    const { fetch, settled } = start([at(12)], 5017560)
    expect(await settled).toEqual({ value: at(12) })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects with TaskNotFoundError when the first poll does not list the task', async () => {
    const { fetch, settled } = start([null], 42)
    const { error } = (await settled) as { error: TaskNotFoundError }
    expect(error).toBeInstanceOf(TaskNotFoundError)
    expect(error).toMatchObject({ name: 'TaskNotFoundError', taskId: '42', message: 'Task 42 not found' })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('rejects with TaskNotFoundError when a later poll does not list it', async () => {
    const { fetch, settled } = start([at(11), null], 5017560)
    await vi.advanceTimersByTimeAsync(2000)
    expect((await settled) as { error: unknown }).toEqual({ error: expect.any(TaskNotFoundError) })
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('does not take another task the filter let through for the one asked for', async () => {
    const { settled } = start([at(12, 50175600)], 5017560)
    expect(((await settled) as { error: unknown }).error).toBeInstanceOf(TaskNotFoundError)
  })

  it("rejects with the signal's reason when it aborts during the wait between polls, leaving no timer", async () => {
    const controller = new AbortController()
    const { fetch, settled } = start([at(11)], 5017560, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(500)
    expect(fetch).toHaveBeenCalledTimes(1)
    const reason = new Error('stop waiting')
    controller.abort(reason)
    // No clock movement needed: the abort itself settles the wait.
    expect(await settled).toEqual({ error: reason })
    expect(vi.getTimerCount()).toBe(0)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it("rejects with the signal's reason when it aborts during a poll", async () => {
    vi.useFakeTimers()
    const controller = new AbortController()
    const fetch = vi.fn(() => new Promise<Response>(() => {}))
    const settled = client({ fetch })
      .previewTasks.waitFor(5017560, { signal: controller.signal })
      .catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(0)
    expect(fetch).toHaveBeenCalledTimes(1)
    controller.abort('gone')
    expect(await settled).toBe('gone')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects at once, without a request, for a signal already aborted', async () => {
    const { fetch } = polls(at(12))
    const controller = new AbortController()
    controller.abort()
    const error = await client({ fetch })
      .previewTasks.waitFor(1, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect((error as Error).name).toBe('AbortError')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('passes on what a poll throws', async () => {
    const { fetch } = stubFetch(fail(-1, 'Account authentication exception'))
    const error = await client({ fetch })
      .previewTasks.waitFor(1)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ operation: 'queryPreviewTasks' })
  })

  it.each([
    ['pollMs 49', 1, { pollMs: 49 }, /pollMs must be a number of ms in \[50, 2147483647\]/],
    ['pollMs 0', 1, { pollMs: 0 }, /pollMs/],
    ['pollMs NaN', 1, { pollMs: Number.NaN }, /pollMs/],
    ['pollMs Infinity', 1, { pollMs: Number.POSITIVE_INFINITY }, /pollMs/],
    ['pollMs as a string', 1, { pollMs: '2000' as never }, /pollMs/],
    ['taskId 0', 0, {}, /taskId must be a positive integer or a string of digits/],
    ['taskId -1', -1, {}, /taskId/],
    ['taskId 1.5', 1.5, {}, /taskId/],
    ['taskId "abc"', 'abc', {}, /taskId/],
    ['taskId ""', '', {}, /taskId/],
    ['an empty until', 1, { until: [] }, /until must be a task status or a non-empty list of them/],
    ['until 3 (not a status)', 1, { until: 3 as TaskStatus }, /until/],
    ['until with an unknown status', 1, { until: [12, 99 as TaskStatus] }, /until/],
  ] as const)('%s → a TypeError before any request', async (_what, taskId, options, message) => {
    const { fetch } = polls(at(12))
    const error = await client({ fetch })
      .previewTasks.waitFor(taskId, options as WaitForTaskOptions)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(message)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('accepts pollMs 50, the minimum', async () => {
    const { settled } = start([at(11), at(12)], 5017560, { pollMs: 50 })
    await vi.advanceTimersByTimeAsync(50)
    expect(await settled).toEqual({ value: at(12) })
  })
})
