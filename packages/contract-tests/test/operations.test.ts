import { randomBytes } from 'node:crypto'
import {
  AuthenticationError,
  type CancelPreviewTaskRequest,
  createLaafficClient,
  type EditPreviewTaskRequest,
  LaafficApiError,
  type LaafficClient,
  LaafficHttpError,
  ParameterError,
  type ResendPreviewTaskRequest,
  type SeatRecord,
  type SubmitPreviewTaskRequest,
  TimestampExpiredError,
} from '@laaffic-kit/client'
import { OPERATIONS, type OperationId, STATUS_CODES } from '@laaffic-kit/protocol'
import { createSpecValidator } from '@laaffic-kit/spec'
import fc from 'fast-check'
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import { sweepRun } from '../src/cleanup.js'
import { conformanceFetch } from '../src/conformance.js'
import { fuzzConfig } from '../src/fuzz-config.js'
import type { ContractMeta } from '../src/matrix.js'
import { base64, numberFiles, SAMPLE_COUNTS } from '../src/number-files.js'
import { validBodies } from '../src/operation-arbitraries.js'
import {
  operation,
  requestSchemaOf,
  responseSchemaOf,
  seatWindow,
  sendRaw,
  wallClock,
} from '../src/operations.js'
import { MOCK_UPLOAD_MAX_BYTES, type Target, targetFactories, withOwnAccount } from '../src/targets.js'
import { observeTaskWrite, type TaskExpectation } from '../src/task-check.js'
import { LIFECYCLE_CELLS, walkTaskLifecycle } from '../src/task-lifecycle.js'
import { readWorld, sampleOf, uploadSampleFile, worldProblems } from '../src/world-check.js'
import { RUN_PREFIX } from '../src/write-guard.js'

/**
 * The /v3/cc family on every target: each operation's success, its natural failures, every
 * documented status on demand (mock targets), the seat-group/seat workflow (targets that allow
 * writes) and account isolation (mock targets). On mock targets the file works in an account of
 * its own (POST /__admin/accounts), so files and runs sharing one mock never collide.
 */
const validator = createSpecValidator()
const fuzz = fuzzConfig()
const READS: OperationId[] = ['queryPreviewTasks', 'querySeatGroups', 'querySeats']
const isRead = (id: OperationId) => READS.includes(id)
const ERROR_CLASS_NAME: Record<number, string> = {
  [-1]: 'AuthenticationError',
  [-2]: 'IpRestrictedError',
  [-16]: 'TimestampExpiredError',
  [-18]: 'SystemError',
  [-20]: 'DataExistsError',
  [-22]: 'ParameterError',
  [-23]: 'DataLimitError',
}

/** Calls `fn`, expecting it to throw, and returns what it threw. */
async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, got a result')
}

const runId = () => randomBytes(4).toString('hex')
// Group names must be 4–32 characters; cases that reuse an existing group's name pick one that
// fits, so a legacy group on a real account (or a generator slip on the mock) cannot fake a -22.
const fitsName = (name: string | null) => name !== null && [...name].length >= 4 && [...name].length <= 32

describe.each(targetFactories())('target $name', (factory) => {
  let base: Target | undefined
  let t: Target
  let client: LaafficClient
  let removeAccount: (() => Promise<void>) | undefined
  const problems: string[] = []
  const meta = (operationId: OperationId, m: Omit<ContractMeta, 'target' | 'operation'>) => ({
    meta: { contract: { target: factory.name, operation: operationId, ...m } },
  })
  const run = it.skipIf(factory.skip !== undefined)
  const isMock = !factory.name.startsWith('sandbox')
  const window = () => seatWindow(t.windowNow())

  function makeClient(overrides: Partial<Parameters<typeof createLaafficClient>[0]> = {}) {
    return createLaafficClient({
      apiKey: t.apiKey,
      apiSecret: t.apiSecret,
      baseUrl: t.baseUrl,
      fetch: t.fetch,
      now: t.now,
      // Conformance, not resilience: one attempt per call, so every answer is the server's first.
      maxRetries: 0,
      timeoutMs: 10_000,
      correctClockSkew: false,
      ...overrides,
    })
  }

  beforeAll(async () => {
    if (factory.skip) return
    base = await factory.start()
    let target = base
    if (base.admin) {
      const own = await withOwnAccount(base, { tasks: 300 })
      target = own.target
      removeAccount = own.remove
    }
    t = { ...target, fetch: conformanceFetch(target.fetch, target.baseUrl, validator, problems) }
    client = makeClient()
    // The sandbox's test group needs a voice application: LAAFFIC_SANDBOX_APP_ID, else a listed seat's.
    if (t.writes && !t.appId) {
      const seats = await client.seats.query({ current: 1, size: 1, params: window() })
      t.appId = seats.records[0]?.appId
    }
  }, 60_000)
  afterAll(async () => {
    try {
      if (t?.guard) {
        // Whatever happened above, delete what this run created; leftovers fail the file loudly.
        const left = await sweepRun(makeClient(), t.guard.ledger, window())
        expect(left, 'the sandbox clean-up could not delete everything').toEqual([])
      }
    } finally {
      await removeAccount?.()
      await base?.stop()
    }
  }, 60_000)
  afterEach(() => {
    if (!base) return
    expect(base.takeViolations(), 'Prism found spec violations').toEqual([])
    expect(problems.splice(0), 'answers that break their operation’s response schema').toEqual([])
  })

  describe('reads answer status 0 with a spec-valid page', () => {
    run('querySeatGroups: a page of groups', meta('querySeatGroups', { status: 0 }), async () => {
      const page = await client.seatGroups.query({ current: 1, size: 100, params: {} })
      expect(validator.errors('SeatGroupPage', page)).toEqual([])
      expect(page.pages).toBe(page.total === 0 ? 0 : Math.ceil(page.total / page.size))
      if (isMock) expect(page.total).toBe(12)
    })
    run('querySeats: a page of seats with statistics', meta('querySeats', { status: 0 }), async () => {
      const page = await client.seats.query({ current: 1, size: 100, params: window() })
      expect(validator.errors('SeatPage', page)).toEqual([])
      if (isMock) expect(page.total).toBe(48)
      const raw = await sendRaw(t, 'querySeats', { body: { current: 1, size: 1, params: window() } })
      expect(validator.errors(responseSchemaOf('querySeats'), raw.json)).toEqual([])
    })
    run('queryPreviewTasks: a page of tasks', meta('queryPreviewTasks', { status: 0 }), async () => {
      const page = await client.previewTasks.query({ current: 1, size: 10, params: {} })
      expect(validator.errors('TaskPage', page)).toEqual([])
      if (isMock) expect(page.total).toBe(300)
    })
    run(
      "every group's countSeat equals seat/query's total for it",
      meta('querySeatGroups', { scenario: 'world consistency' }),
      async () => {
        const groups = await client.seatGroups.iterate({ params: {} }).toArray()
        // A real account may be large: check the first 10 groups there.
        for (const g of isMock ? groups : groups.slice(0, 10)) {
          const seats = await client.seats.query({
            current: 1,
            size: 1,
            params: { ...window(), voiceGroupId: g.voiceGroupId },
          })
          expect(seats.total, `group ${g.voiceGroupId}`).toBe(g.countSeat)
        }
      },
    )
  })

  describe('natural failures', () => {
    // Writes go to a real sandbox only inside the workflow (own group, own seats); here they
    // are sent to mock targets only.
    const ids = OPERATIONS.map((o) => o.id).filter((id) => isMock || isRead(id))
    for (const id of ids) {
      run(`${id}: a wrong apiSecret → -1 AuthenticationError`, meta(id, { status: -1 }), async () => {
        const error = await rejection(() => callValid(makeClient({ apiSecret: `${t.apiSecret}-wrong` }), id))
        expect(error).toBeInstanceOf(AuthenticationError)
        expect((error as AuthenticationError).operation).toBe(id)
      })
      run(`${id}: a Timestamp an hour old → -16`, meta(id, { status: -16 }), async () => {
        const error = await rejection(() => callValid(makeClient({ now: () => t.now() - 3_600_000 }), id))
        expect(error).toBeInstanceOf(TimestampExpiredError)
      })
    }

    /** Bodies each operation must refuse with -22; `spec`: the spec rejects it too (Prism answers 422). */
    type Invalid = {
      id: OperationId
      name: string
      field: string
      spec: boolean
      send: () => Promise<unknown>
    }
    const INVALID: Invalid[] = [
      {
        id: 'querySeatGroups',
        name: 'size 101',
        field: 'size',
        spec: true,
        send: () => client.seatGroups.query({ current: 1, size: 101, params: {} }),
      },
      {
        id: 'querySeats',
        name: 'a window of 40 days',
        field: 'strTime',
        spec: false,
        send: () =>
          client.seats.query({
            current: 1,
            size: 1,
            params: { ...window(), strTime: seatWindow(t.windowNow() - 10 * 86_400_000).strTime },
          }),
      },
      {
        id: 'querySeats',
        name: 'strTime after endTime',
        field: 'strTime',
        spec: false,
        send: () =>
          client.seats.query({
            current: 1,
            size: 1,
            params: { strTime: window().endTime, endTime: window().strTime },
          }),
      },
      {
        id: 'querySeats',
        name: 'no window',
        field: 'strTime',
        spec: true,
        send: () => client.seats.query({ current: 1, size: 1, params: {} as never }),
      },
      ...(isMock
        ? ([
            {
              id: 'addSeatGroup',
              name: 'a 3-character name',
              field: 'groupName',
              spec: true,
              send: () => client.seatGroups.add({ appId: t.appId ?? '1', groupName: 'abc' }),
            },
            {
              id: 'updateSeatGroup',
              name: 'a 33-character name',
              field: 'groupName',
              spec: true,
              send: () => client.seatGroups.update({ voiceGroupId: 1000001, groupName: 'x'.repeat(33) }),
            },
            {
              id: 'deleteSeatGroup',
              name: 'a voiceGroupId of letters',
              field: 'voiceGroupId',
              spec: true,
              send: () => client.seatGroups.delete({ voiceGroupId: 'abc' as never }),
            },
            {
              id: 'addSeats',
              name: 'size 0',
              field: 'size',
              spec: true,
              send: () => client.seats.addList({ voiceGroupId: 1000001, size: 0 }),
            },
            {
              id: 'updateSeat',
              name: 'no empNo',
              field: 'empNo',
              spec: true,
              send: () =>
                client.seats.update({ keyId: 5000001, voiceGroupId: '1000001', name: 'x' } as never),
            },
            {
              id: 'batchSeats',
              name: 'type 5',
              field: 'type',
              spec: true,
              send: () => client.seats.batch({ type: 5 as never, idList: [5000001] }),
            },
            {
              id: 'batchSeats',
              name: 'an empty idList',
              field: 'idList',
              spec: true,
              send: () => client.seats.batch({ type: 3, idList: [] }),
            },
            {
              id: 'submitPreviewTask',
              name: 'type 1 without appId (the spec’s if/then)',
              field: 'appId',
              spec: true,
              send: () =>
                client.previewTasks.submit({
                  ...FORCED_TASK_BODIES.submitPreviewTask,
                  appId: undefined,
                } as never),
            },
            {
              id: 'submitPreviewTask',
              name: 'a displayNum with a plus sign (the spec’s pattern)',
              field: 'displayNum',
              spec: true,
              send: () =>
                client.previewTasks.submit({ ...FORCED_TASK_BODIES.submitPreviewTask, displayNum: '+63917' }),
            },
            {
              id: 'submitPreviewTask',
              name: 'a filePath no upload returned',
              field: 'filePath',
              spec: false,
              send: () => client.previewTasks.submit({ ...FORCED_TASK_BODIES.submitPreviewTask, type: 0 }),
            },
            {
              id: 'editPreviewTask',
              name: 'a 51-character remark',
              field: 'remark',
              spec: true,
              send: () => client.previewTasks.edit({ taskId: 1, calloutRate: 1, remark: 'x'.repeat(51) }),
            },
            {
              id: 'editPreviewTask',
              name: 'an unknown taskId',
              field: 'taskId',
              spec: false,
              send: () => client.previewTasks.edit(FORCED_TASK_BODIES.editPreviewTask),
            },
            {
              id: 'cancelPreviewTask',
              name: 'a taskId of letters',
              field: 'taskId',
              spec: true,
              send: () => client.previewTasks.cancel({ taskId: 'abc' }),
            },
            {
              id: 'cancelPreviewTask',
              name: 'an unknown taskId',
              field: 'taskId',
              spec: false,
              send: () => client.previewTasks.cancel(FORCED_TASK_BODIES.cancelPreviewTask),
            },
            {
              id: 'resendPreviewTask',
              name: 'resendType 4',
              field: 'resendType',
              spec: true,
              send: () => client.previewTasks.resend({ taskId: 1, resendType: 4 as never, type: 0 }),
            },
            {
              id: 'resendPreviewTask',
              name: 'an unknown taskId',
              field: 'taskId',
              spec: false,
              send: () => client.previewTasks.resend(FORCED_TASK_BODIES.resendPreviewTask),
            },
            {
              id: 'uploadPreviewFile',
              name: 'a 4-character fileName',
              field: 'fileName',
              spec: true,
              send: () => client.previewFiles.upload({ fileName: 'n.xl', file: numberFiles().xls }),
            },
          ] satisfies Invalid[])
        : []),
    ]
    for (const bad of INVALID)
      run(`${bad.id}: ${bad.name} → -22 naming ${bad.field}`, meta(bad.id, { status: -22 }), async () => {
        const error = await rejection(bad.send)
        if (t.specGate && bad.spec) {
          // Prism refused it against the spec before the mock saw it: spec and mock agree.
          expect(error).toBeInstanceOf(LaafficHttpError)
          expect((error as LaafficHttpError).httpStatus).toBe(422)
          return
        }
        expect(error).toBeInstanceOf(ParameterError)
        expect((error as ParameterError).operation).toBe(bad.id)
        if (isMock) expect((error as ParameterError).reason).toContain(bad.field)
      })
  })

  if (isMock)
    describe('operation-specific failures a mock can be brought to', () => {
      const seatsOf = async (params: Record<string, unknown> = {}) =>
        (await client.seats.query({ current: 1, size: 100, params: { ...window(), ...params } })).records
      const apiError = (error: unknown, id: OperationId, code: number) => {
        expect(error).toBeInstanceOf(LaafficApiError)
        expect(error).toMatchObject({
          code,
          operation: id,
          meaning: operation(id).statuses.find((s) => s.code === code)?.meaning,
        })
      }
      const putInCall = async (keyId: number) => {
        const admin = t.admin!
        const res = await admin.fetch(
          new URL(`/__admin/accounts/${t.apiKey}/seats/${keyId}`, admin.baseUrl),
          {
            method: 'PUT',
            body: '{"status":3}',
          },
        )
        expect(res.status).toBe(200)
      }

      run('deleteSeatGroup: an unknown group → -24', meta('deleteSeatGroup', { status: -24 }), async () => {
        apiError(
          await rejection(() => client.seatGroups.delete({ voiceGroupId: 4242424 })),
          'deleteSeatGroup',
          -24,
        )
      })
      run('deleteSeatGroup: a group with seats → -64', meta('deleteSeatGroup', { status: -64 }), async () => {
        const [g] = (await client.seatGroups.query({ current: 1, size: 100, params: {} })).records.filter(
          (r) => r.countSeat > 0,
        )
        apiError(
          await rejection(() => client.seatGroups.delete({ voiceGroupId: g!.voiceGroupId })),
          'deleteSeatGroup',
          -64,
        )
      })
      run(
        'addSeatGroup: a name its application already has → -20',
        meta('addSeatGroup', { status: -20 }),
        async () => {
          const seat = (await seatsOf()).find((s) => fitsName(s.groupName))!
          const error = await rejection(() =>
            client.seatGroups.add({ appId: seat.appId, groupName: seat.groupName! }),
          )
          expect(error).toMatchObject({ code: -20, operation: 'addSeatGroup' })
        },
      )
      run(
        'updateSeatGroup: another group’s name → -20',
        meta('updateSeatGroup', { status: -20 }),
        async () => {
          const seats = (await seatsOf()).filter((s) => fitsName(s.groupName))
          const a = seats[0]!
          const b = seats.find((s) => s.appId === a.appId && s.voiceGroupId !== a.voiceGroupId)!
          const error = await rejection(() =>
            client.seatGroups.update({ voiceGroupId: a.voiceGroupId, groupName: b.groupName! }),
          )
          expect(error).toMatchObject({ code: -20, operation: 'updateSeatGroup' })
        },
      )
      run('addSeats: past the seat quota → -36', meta('addSeats', { status: -36 }), async () => {
        const seat = (await seatsOf())[0]!
        // The mock's default quota is 500 live seats an account; this account has 48.
        apiError(
          await rejection(() => client.seats.addList({ voiceGroupId: seat.voiceGroupId, size: 460 })),
          'addSeats',
          -36,
        )
      })
      describe('updateSeat', () => {
        let seat: SeatRecord
        let other: SeatRecord
        const update = (patch: Record<string, unknown>) =>
          client.seats.update({
            keyId: seat.keyId,
            voiceGroupId: String(seat.voiceGroupId),
            name: seat.name,
            empNo: seat.empNo ?? '900',
            ...patch,
          })
        beforeAll(async () => {
          if (factory.skip) return
          // Enabled ones: a disabled seat cannot be put in a call (the -67 case needs one).
          const idle = await seatsOf({ status: 1, enable: 0 })
          seat = idle[0]!
          other = idle[1]!
        })
        run('a used empNo → -34', meta('updateSeat', { status: -34 }), async () => {
          apiError(await rejection(() => update({ empNo: other.empNo })), 'updateSeat', -34)
        })
        run(
          'a password with a space → -64 (in-band, not a schema rule)',
          meta('updateSeat', { status: -64 }),
          async () => {
            apiError(await rejection(() => update({ password: 'pass word' })), 'updateSeat', -64)
          },
        )
        run('a group of another application → -65', meta('updateSeat', { status: -65 }), async () => {
          const foreign = (await seatsOf()).find((s) => s.appId !== seat.appId)!
          apiError(
            await rejection(() => update({ voiceGroupId: String(foreign.voiceGroupId) })),
            'updateSeat',
            -65,
          )
        })
        run('an unknown country code → -66', meta('updateSeat', { status: -66 }), async () => {
          apiError(await rejection(() => update({ ccode: '9999' })), 'updateSeat', -66)
        })
        run('a seat in a call → -67', meta('updateSeat', { status: -67 }), async () => {
          await putInCall(other.keyId)
          const error = await rejection(() =>
            client.seats.update({
              keyId: other.keyId,
              voiceGroupId: String(other.voiceGroupId),
              name: other.name,
              empNo: other.empNo ?? '901',
            }),
          )
          apiError(error, 'updateSeat', -67)
        })
      })
      run(
        'batchSeats: a seat in a call → -67, nothing changed',
        meta('batchSeats', { status: -67 }),
        async () => {
          const [a, b] = await seatsOf({ status: 2 })
          await putInCall(b!.keyId)
          apiError(
            await rejection(() => client.seats.batch({ type: 3, idList: [a!.keyId, b!.keyId] })),
            'batchSeats',
            -67,
          )
          expect((await seatsOf()).find((s) => s.keyId === a!.keyId)?.enable).toBe(a!.enable)
        },
      )
      run(
        'batchSeats: deleting a seat a calling task uses → -68',
        meta('batchSeats', { status: -68 }),
        async () => {
          const calling = await client.previewTasks.query({
            current: 1,
            size: 100,
            params: { taskStatus: [11] },
          })
          const groups = new Set(calling.records.flatMap((r) => r.voiceGroupId))
          const busy = (await seatsOf()).find((s) => groups.has(s.voiceGroupId) && s.status !== 3)
          expect(busy, 'a seat in a group of a calling task').toBeDefined()
          apiError(
            await rejection(() => client.seats.batch({ type: 2, idList: [busy!.keyId] })),
            'batchSeats',
            -68,
          )
        },
      )
    })

  if (isMock)
    describe('every documented status on demand (X-Mock-Status)', () => {
      // Spec-valid bodies (Prism forwards them); a forced status answers before any lookup.
      const BODIES: Record<OperationId, unknown> = {
        queryPreviewTasks: { current: 1, size: 1, params: {} },
        querySeatGroups: { current: 1, size: 1, params: {} },
        addSeatGroup: { appId: '1000009', groupName: 'forced group' },
        updateSeatGroup: { voiceGroupId: 1000001, groupName: 'forced name' },
        deleteSeatGroup: undefined,
        querySeats: {
          current: 1,
          size: 1,
          params: { strTime: '2025-01-01 00:00:00', endTime: '2025-01-02 00:00:00' },
        },
        addSeats: { voiceGroupId: 1000001, size: 1 },
        updateSeat: { keyId: 5000001, voiceGroupId: '1000001', name: 'x', empNo: '777' },
        batchSeats: { type: 4, idList: [5000001] },
        uploadPreviewFile: { fileName: 'forced.xlsx', file: base64(numberFiles().xlsx) },
        submitPreviewTask: FORCED_TASK_BODIES.submitPreviewTask,
        editPreviewTask: FORCED_TASK_BODIES.editPreviewTask,
        cancelPreviewTask: FORCED_TASK_BODIES.cancelPreviewTask,
        resendPreviewTask: FORCED_TASK_BODIES.resendPreviewTask,
      }
      for (const op of OPERATIONS)
        for (const s of op.statuses) {
          // A forced 0 still runs the operation: writes get their 0 from the workflow instead.
          if (s.code === 0 && !isRead(op.id)) continue
          run(
            `${op.id} ${s.code}: ${ERROR_CLASS_NAME[s.code] ?? (s.code === 0 ? 'a page' : 'LaafficApiError')} with its meaning`,
            meta(op.id, { status: s.code, scenario: 'forced status' }),
            async () => {
              const headers = { 'X-Mock-Status': String(s.code) }
              const raw = await sendRaw(t, op.id, {
                body: BODIES[op.id],
                ...(op.method === 'GET' ? { query: { voiceGroupId: '1000001' } } : {}),
                headers,
              })
              expect(raw.httpStatus).toBe(200)
              expect(validator.errors(responseSchemaOf(op.id), raw.json)).toEqual([])
              expect(Number((raw.json as { status: unknown }).status)).toBe(s.code)
              if (s.code === 0) return
              const error = await rejection(() => callValid(client, op.id, { headers }))
              expect(error).toBeInstanceOf(LaafficApiError)
              expect((error as Error).name).toBe(s.key ? ERROR_CLASS_NAME[s.code] : 'LaafficApiError')
              expect(error).toMatchObject({
                code: s.code,
                operation: op.id,
                meaning: s.meaning,
                reason: s.reason,
              })
            },
          )
        }
    })

  if (factory.name === 'mock' || factory.name === 'mock-http')
    // Prism would (rightly) flag the non-spec answers, so faults stay on the two plain mocks.
    describe('transport faults on every operation (X-Mock-Fault)', () => {
      for (const op of OPERATIONS)
        for (const fault of ['http-503', 'malformed'])
          run(`${op.id}: ${fault} → LaafficHttpError`, meta(op.id, { scenario: 'faults' }), async () => {
            const error = await rejection(() =>
              callValid(client, op.id, { headers: { 'X-Mock-Fault': fault } }),
            )
            expect(error).toBeInstanceOf(LaafficHttpError)
            expect((error as LaafficHttpError).httpStatus).toBe(fault === 'http-503' ? 503 : 200)
          })
    })

  describe('uploadPreviewFile', () => {
    // A write that stores a file for good (no operation deletes one): on a sandbox only with
    // LAAFFIC_SANDBOX_WRITES=1, named after the run, and only the cases whose answer the vendor's
    // page states; the rest on mock targets.
    const upload = (status: number, title: string, fn: () => Promise<void>) =>
      run(title, meta('uploadPreviewFile', { status }), async (ctx: TestContext) => {
        if (!t.writes)
          return ctx.skip('writes are off on this target (LAAFFIC_SANDBOX_WRITES=1 turns them on)')
        await fn()
      })
    // The failures only a mock can be brought to (or whose vendor answer is not documented) are
    // not registered for sandbox targets at all, as for the other operations.
    const onMock = isMock ? upload : () => {}
    const fileName = (ext: string) => `${RUN_PREFIX}${runId()}${ext}`
    const refusal = async (code: number, fn: () => Promise<unknown>) => {
      const error = await rejection(fn)
      expect(error).toBeInstanceOf(LaafficApiError)
      expect(error).toMatchObject({
        code,
        operation: 'uploadPreviewFile',
        meaning: operation('uploadPreviewFile').statuses.find((s) => s.code === code)?.meaning,
      })
    }

    for (const format of ['xls', 'xlsx'] as const)
      upload(0, `a real .${format} number file → its filePath and counts`, async () => {
        const stored = await client.previewFiles.upload({
          fileName: fileName(`.${format}`),
          file: numberFiles()[format],
        })
        expect(validator.errors('UploadedFile', stored)).toEqual([])
        expect(stored.filePath).not.toBe('')
        expect(stored).toMatchObject(SAMPLE_COUNTS)
      })
    upload(-39, 'a CSV named .xls → -39', () =>
      refusal(-39, () =>
        client.previewFiles.upload({ fileName: fileName('.xls'), file: numberFiles().notSpreadsheet }),
      ),
    )
    onMock(-39, 'a real file named .csv → -39', () =>
      refusal(-39, () => client.previewFiles.upload({ fileName: 'numbers.csv', file: numberFiles().xls })),
    )
    onMock(
      -43,
      'a repeated header column → -43 (the mock reads the header here; the vendor lists -43 on submitTask)',
      () =>
        refusal(-43, () =>
          client.previewFiles.upload({ fileName: 'numbers.xlsx', file: numberFiles().repeatedHeader }),
        ),
    )
    onMock(-38, `a file over the target's --upload-max-bytes (${MOCK_UPLOAD_MAX_BYTES}) → -38`, () =>
      refusal(-38, () => client.previewFiles.upload({ fileName: 'big.xlsx', file: numberFiles().tooLarge })),
    )
    onMock(-22, 'text that is not base64 → -22 naming file (spec-valid: Prism forwards it)', async () => {
      const raw = await sendRaw(t, 'uploadPreviewFile', {
        body: { fileName: 'numbers.xls', file: '***not base64***' },
      })
      expect(raw.httpStatus).toBe(200)
      expect((raw.json as { reason: string }).reason).toMatch(/\bfile\b/)
      expect(Number((raw.json as { status: unknown }).status)).toBe(-22)
    })
  })

  describe('the seat-group and seat workflow', () => {
    // Without writes (the sandbox without LAAFFIC_SANDBOX_WRITES=1) nothing here is even sent.
    const state: { name?: string; groupId?: number; seats?: number[]; broken?: string } = {}
    const step = (id: OperationId, status: number, title: string, fn: () => Promise<void>) =>
      run(title, meta(id, { status, scenario: 'workflow' }), async (ctx: TestContext) => {
        if (!t.writes)
          return ctx.skip('writes are off on this target (LAAFFIC_SANDBOX_WRITES=1 turns them on)')
        if (!t.appId) return ctx.skip('no voice application known (set LAAFFIC_SANDBOX_APP_ID)')
        if (state.broken) return ctx.skip(`an earlier step failed: ${state.broken}`)
        try {
          await fn()
        } catch (error) {
          state.broken = title
          throw error
        }
      })
    const groupsNamed = async (groupName: string) =>
      (await client.seatGroups.query({ current: 1, size: 100, params: { groupName } })).records.filter(
        (g) => g.groupName === groupName,
      )
    const seatsInGroup = async () =>
      client.seats.query({ current: 1, size: 100, params: { ...window(), voiceGroupId: state.groupId! } })

    step('addSeatGroup', 0, 'add a group (its answer carries no id)', async () => {
      state.name = `${RUN_PREFIX}${runId()}`
      expect(await client.seatGroups.add({ appId: t.appId!, groupName: state.name })).toBeNull()
    })
    step('querySeatGroups', 0, 'read it back by name: one group, no seats', async () => {
      const found = await groupsNamed(state.name!)
      expect(found).toHaveLength(1)
      expect(found[0]!.countSeat).toBe(0)
      state.groupId = found[0]!.voiceGroupId
    })
    step('updateSeatGroup', 0, 'rename it; the id stays', async () => {
      const renamed = `${state.name}-r`
      expect(await client.seatGroups.update({ voiceGroupId: state.groupId!, groupName: renamed })).toBeNull()
      expect((await groupsNamed(renamed)).map((g) => g.voiceGroupId)).toEqual([state.groupId])
      state.name = renamed
    })
    step('addSeatGroup', -20, 'adding its name again → -20', async () => {
      const error = await rejection(() => client.seatGroups.add({ appId: t.appId!, groupName: state.name! }))
      expect(error).toMatchObject({ code: -20, operation: 'addSeatGroup' })
    })
    step('addSeats', 0, 'add two seats to it', async () => {
      const created = await client.seats.addList({ voiceGroupId: state.groupId!, size: 2 })
      expect(created).toHaveLength(2)
      expect(validator.errors('CreatedSeat', created[0])).toEqual([])
      state.seats = created.map((s) => s.keyId).sort((a, b) => a - b)
    })
    step('querySeats', 0, 'query seats by group: exactly those two; countSeat 2', async () => {
      const page = await seatsInGroup()
      expect(page.records.map((s) => s.keyId).sort((a, b) => a - b)).toEqual(state.seats)
      for (const s of page.records) expect(s.voiceGroupId).toBe(state.groupId)
      expect((await groupsNamed(state.name!))[0]?.countSeat).toBe(2)
    })
    step('updateSeat', 0, 'update a seat (voiceGroupId as a string, as the page sends it)', async () => {
      const empNo = `ct${runId()}`
      const [keyId] = state.seats!
      await client.seats.update({
        keyId: keyId!,
        voiceGroupId: String(state.groupId),
        name: 'lkit-ct seat',
        empNo,
      })
      const after = (await seatsInGroup()).records.find((s) => s.keyId === keyId)
      expect(after).toMatchObject({ name: 'lkit-ct seat', empNo })
    })
    step('updateSeat', -34, "the other seat with the first one's empNo → -34", async () => {
      const [first, second] = (await seatsInGroup()).records.sort((a, b) => a.keyId - b.keyId)
      const error = await rejection(() =>
        client.seats.update({
          keyId: second!.keyId,
          voiceGroupId: String(state.groupId),
          name: second!.name,
          empNo: first!.empNo!,
        }),
      )
      expect(error).toMatchObject({ code: -34, operation: 'updateSeat' })
    })
    step('updateSeat', -64, 'a password with a space → -64', async () => {
      const [first] = (await seatsInGroup()).records
      const error = await rejection(() =>
        client.seats.update({
          keyId: first!.keyId,
          voiceGroupId: String(state.groupId),
          name: first!.name,
          empNo: first!.empNo!,
          password: 'pass word',
        }),
      )
      expect(error).toMatchObject({ code: -64, operation: 'updateSeat' })
    })
    step('batchSeats', 0, 'disable both (type 3), then enable them (type 4)', async () => {
      await client.seats.batch({ type: 3, idList: state.seats! })
      expect((await seatsInGroup()).records.map((s) => s.enable)).toEqual([1, 1])
      await client.seats.batch({ type: 4, idList: state.seats! })
      expect((await seatsInGroup()).records.map((s) => s.enable)).toEqual([0, 0])
    })
    step('deleteSeatGroup', -64, 'deleting the group while it has seats → -64', async () => {
      const error = await rejection(() => client.seatGroups.delete({ voiceGroupId: state.groupId! }))
      expect(error).toBeInstanceOf(LaafficApiError)
      expect(error).toMatchObject({
        code: -64,
        operation: 'deleteSeatGroup',
        meaning: expect.stringContaining('seats'),
      })
    })
    step('batchSeats', 0, 'delete the seats (type 2): the group is empty', async () => {
      await client.seats.batch({ type: 2, idList: state.seats! })
      expect((await seatsInGroup()).total).toBe(0)
      expect((await groupsNamed(state.name!))[0]?.countSeat).toBe(0)
    })
    step('deleteSeatGroup', 0, 'delete the group', async () => {
      expect(await client.seatGroups.delete({ voiceGroupId: state.groupId! })).toBeNull()
    })
    step('deleteSeatGroup', -24, 'it is gone: not listed, and deleting it again → -24', async () => {
      expect(await groupsNamed(state.name!)).toEqual([])
      const error = await rejection(() => client.seatGroups.delete({ voiceGroupId: state.groupId! }))
      expect(error).toMatchObject({ code: -24, operation: 'deleteSeatGroup' })
    })
  })

  run(
    'the agent-task lifecycle: group → seats → upload → submit → query → clock → completed → resend → cancel, every failure code',
    {
      meta: {
        contract: { target: factory.name, scenario: 'task lifecycle', cells: LIFECYCLE_CELLS },
      },
    },
    async (ctx: TestContext) => {
      // On a real account the suite never creates, edits or cancels a task (the write guard
      // refuses all four), and no clock can be moved there.
      if (!base?.admin)
        return ctx.skip(
          'a real account: the suite never submits, resends, edits or cancels a task there (read-only queries still run)',
        )
      const own = await withOwnAccount(base, { tasks: 20 })
      try {
        const target = { ...own.target, fetch: t.fetch }
        await walkTaskLifecycle({
          target,
          validator,
          runId: runId(),
          client: (now) =>
            createLaafficClient({
              apiKey: target.apiKey,
              apiSecret: target.apiSecret,
              baseUrl: target.baseUrl,
              fetch: target.fetch,
              now,
              maxRetries: 0,
              timeoutMs: 10_000,
              correctClockSkew: false,
            }),
        })
      } finally {
        await own.remove()
      }
    },
  )

  if (isMock)
    run(
      `random spec-valid requests to every operation get answers the spec accepts (seed ${fuzz.seed})`,
      { meta: { contract: { target: factory.name, scenario: 'fuzzed valid requests' } } },
      async () => {
        // Through Prism this is the conformance gate over answers no hand-written case asked for.
        const sample = sampleOf(await readWorld(t), t.appId ? [t.appId] : [], [await uploadSampleFile(t)])
        const created = new Map<number, TaskExpectation>()
        const requests = fc
          .constantFrom(...OPERATIONS)
          .chain((op) =>
            (op.method === 'GET'
              ? fc.constantFrom(...sample.groups).map((id) => ({ query: `voiceGroupId=${id}` }))
              : validBodies(sample, t.now())[op.id].map((body) => ({ body }))
            ).map((request) => ({ op, request })),
          )
        await fc.assert(
          fc.asyncProperty(requests, async ({ op, request }) => {
            const schema = requestSchemaOf(op.id)
            fc.pre(schema === undefined || validator.validate(schema, (request as { body?: unknown }).body))
            const res = await sendRaw(t, op.id, request)
            expect(res.httpStatus, res.text.slice(0, 300)).toBe(200)
            expect(validator.errors(responseSchemaOf(op.id), res.json)).toEqual([])
            expect(base!.takeViolations()).toEqual([])
            const body = (request as { body?: unknown }).body
            observeTaskWrite(created, op.id, JSON.stringify(body), res.json, wallClock(t.now()))
          }),
          { seed: fuzz.seed, numRuns: Math.max(1, Math.ceil(fuzz.numRuns / 3)) },
        )
        expect(await worldProblems(t, created)).toEqual([])
      },
    )

  if (isMock)
    run(
      'two accounts writing at once never see each other’s groups or seats',
      { meta: { contract: { target: factory.name, scenario: 'account isolation' } } },
      async () => {
        const accounts = await Promise.all([
          withOwnAccount(base!, { tasks: 10 }),
          withOwnAccount(base!, { tasks: 10 }),
        ])
        try {
          const clients = accounts.map(({ target }) =>
            createLaafficClient({
              apiKey: target.apiKey,
              apiSecret: target.apiSecret,
              baseUrl: target.baseUrl,
              fetch: t.fetch,
              now: t.now,
              maxRetries: 0,
            }),
          )
          const tag = runId()
          // Both accounts create three groups and fill the first, interleaved.
          const names = clients.map((_, i) => [0, 1, 2].map((n) => `iso ${tag} ${i}-${n}`))
          await Promise.all(
            clients.flatMap((c, i) =>
              names[i]!.map((groupName) =>
                c.seatGroups.add({ appId: accounts[i]!.target.appId!, groupName }),
              ),
            ),
          )
          const groupIds = await Promise.all(
            clients.map(async (c, i) => {
              const page = await c.seatGroups.query({
                current: 1,
                size: 100,
                params: { groupName: `iso ${tag}` },
              })
              expect(page.records.map((g) => g.groupName).sort()).toEqual(names[i])
              return page.records.map((g) => g.voiceGroupId)
            }),
          )
          // Different seat counts, so a write that leaked into the other account would show in its totals.
          const created = await Promise.all(
            clients.map((c, i) => c.seats.addList({ voiceGroupId: groupIds[i]![0]!, size: 2 + i })),
          )
          for (const [i, c] of clients.entries()) {
            const other = names[1 - i]!
            expect((await c.seats.query({ current: 1, size: 1, params: window() })).total).toBe(48 + 2 + i)
            // Group and seat ids are per account and may coincide: what is in them must not.
            const inFirst = await c.seats.query({
              current: 1,
              size: 100,
              params: { ...window(), voiceGroupId: groupIds[i]![0]! },
            })
            expect(inFirst.records.map((s) => s.keyId).sort()).toEqual(created[i]!.map((s) => s.keyId).sort())
            const all = await c.seatGroups.iterate({ params: {} }).toArray()
            expect(all.filter((g) => other.includes(g.groupName))).toEqual([])
            expect(
              all
                .filter((g) => names[i]!.includes(g.groupName))
                .map((g) => g.countSeat)
                .sort(),
            ).toEqual([0, 0, 2 + i])
          }
        } finally {
          await Promise.all(accounts.map((a) => a.remove()))
        }
      },
    )
})

/** A spec-valid call of each operation (the answer may be any status); for auth and forced-status cases. */
function callValid(client: LaafficClient, id: OperationId, options?: { headers: Record<string, string> }) {
  const window = { strTime: '2025-01-01 00:00:00', endTime: '2025-01-02 00:00:00' }
  switch (id) {
    case 'queryPreviewTasks':
      return client.previewTasks.query({ current: 1, size: 1, params: {} }, options)
    case 'querySeatGroups':
      return client.seatGroups.query({ current: 1, size: 1, params: {} }, options)
    case 'addSeatGroup':
      return client.seatGroups.add({ appId: '1000009', groupName: `${RUN_PREFIX}never` }, options)
    case 'updateSeatGroup':
      return client.seatGroups.update({ voiceGroupId: 1000001, groupName: `${RUN_PREFIX}never` }, options)
    case 'deleteSeatGroup':
      return client.seatGroups.delete({ voiceGroupId: 1000001 }, options)
    case 'querySeats':
      return client.seats.query({ current: 1, size: 1, params: window }, options)
    case 'addSeats':
      return client.seats.addList({ voiceGroupId: 1000001, size: 1 }, options)
    case 'updateSeat':
      return client.seats.update(
        { keyId: 5000001, voiceGroupId: '1000001', name: 'x', empNo: '777' },
        options,
      )
    case 'batchSeats':
      return client.seats.batch({ type: 4, idList: [5000001] }, options)
    case 'uploadPreviewFile':
      return client.previewFiles.upload(
        { fileName: `${RUN_PREFIX}never.xlsx`, file: numberFiles().xlsx },
        options,
      )
    case 'submitPreviewTask':
      return client.previewTasks.submit(FORCED_TASK_BODIES.submitPreviewTask, options)
    case 'editPreviewTask':
      return client.previewTasks.edit(FORCED_TASK_BODIES.editPreviewTask, options)
    case 'cancelPreviewTask':
      return client.previewTasks.cancel(FORCED_TASK_BODIES.cancelPreviewTask, options)
    case 'resendPreviewTask':
      return client.previewTasks.resend(FORCED_TASK_BODIES.resendPreviewTask, options)
  }
}

/**
 * Spec-valid bodies of the four agent-task writes for the auth, forced-status and fault cases:
 * a file path no upload returned and task ids no account has, so a request that did reach the
 * operation (a wrong secret, a forced status) could not create, change or cancel anything.
 */
const FORCED_TASK_BODIES = {
  submitPreviewTask: {
    filePath: '/mnt/cc/upload/execl/lkit-ct-never.xls',
    fileName: `${RUN_PREFIX}never.xls`,
    type: 1,
    voiceGroupId: [1000001],
    appId: '1000009',
    calloutRate: 1,
  },
  editPreviewTask: { taskId: 987654321, calloutRate: 1, remark: 'lkit-ct' },
  cancelPreviewTask: { taskId: 987654321 },
  resendPreviewTask: { taskId: 987654321, resendType: 1, type: 0 },
} as const satisfies {
  submitPreviewTask: SubmitPreviewTaskRequest
  editPreviewTask: EditPreviewTaskRequest
  cancelPreviewTask: CancelPreviewTaskRequest
  resendPreviewTask: ResendPreviewTaskRequest
}

// The shared status table is what the error classes are keyed by; keep the names in step.
if (STATUS_CODES.some((s) => s.code !== 0 && !ERROR_CLASS_NAME[s.code]))
  throw new Error('ERROR_CLASS_NAME misses a code of STATUS_CODES')
