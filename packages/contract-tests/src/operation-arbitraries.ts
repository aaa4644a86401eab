import type { OperationId } from '@laaffic-kit/protocol'
import fc from 'fast-check'
import { base64, numberFiles } from './number-files.js'
import { wallClock } from './operations.js'

/** What the fuzzer knows of an account's world, so most generated ids refer to something real. */
export interface WorldSample {
  apps: string[]
  groups: number[]
  groupNames: string[]
  seats: number[]
  /** [keyId, its voiceGroupId] of live seats: coherent updateSeat bodies. */
  seatGroups: Array<[number, number]>
  empNos: string[]
  /** Ids of the account's tasks (generated and created through the API): edit, cancel, resend. */
  tasks: number[]
  /** `filePath`s preview/upload answered for this account: what submitTask can really use. */
  files: string[]
}

/** One request to one operation: a POST body (any text) or a GET query string, plus a query string on POSTs. */
export interface FuzzRequest {
  body: string | undefined
  query: string
}

const id = (known: number[]) =>
  fc.oneof(
    { weight: 4, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant(1) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 9_999_999 }) },
  )
const groupName = (known: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 4, maxLength: 32 }) },
    { weight: 1, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('abcd') },
  )
const ALNUM = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789']
const alnum = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max })
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max })

/** A seat/query window around `nowMs`: mostly within the 32 allowed days, sometimes longer or reversed. */
function seatWindow(nowMs: number) {
  return fc
    .record({ endBack: fc.integer({ min: 0, max: 60 }), span: fc.integer({ min: -2, max: 40 }) })
    .map(({ endBack, span }) => {
      const end = nowMs - endBack * 86_400_000
      return { strTime: wallClock(end - span * 86_400_000), endTime: wallClock(end) }
    })
}

const page = { current: fc.integer({ min: 1, max: 4 }), size: fc.integer({ min: 1, max: 100 }) }

/**
 * preview/upload bodies the spec accepts (`fileName` 5–32 characters, `file` a non-empty string):
 * a real .xls/.xlsx under its own extension (stored: status 0), the same under the other one or
 * a wrong one, near-miss files (cut off, damaged, a repeated header, CSV text), random bytes, and
 * text that only looks like base64 (bad padding, stray characters). Every file is small: the
 * 100,000-row -40 is left to the forced-status cases.
 */
function uploadBodies(): fc.Arbitrary<{ fileName: string; file: string }> {
  const files = numberFiles()
  const real = { xls: base64(files.xls), xlsx: base64(files.xlsx) }
  const stem = alnum(1, 20)
  const named = (ext: fc.Arbitrary<string>, file: fc.Arbitrary<string>) =>
    fc.record({ stem, ext, file }).map(({ stem, ext, file }) => ({ fileName: `${stem}${ext}`, file }))
  const misses = [files.repeatedHeader, files.notSpreadsheet, ...files.nearMisses].map(base64)
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .constantFrom('xls', 'xlsx' as const)
        .chain((f) => named(fc.constantFrom(`.${f}`, `.${f.toUpperCase()}`), fc.constant(real[f]))),
    },
    {
      weight: 2,
      arbitrary: named(
        fc.constantFrom('.xls', '.xlsx', '.csv', '.xl', ''),
        fc.constantFrom(...misses, ...Object.values(real)),
      ),
    },
    {
      weight: 2,
      arbitrary: named(
        fc.constantFrom('.xls', '.xlsx'),
        fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
      ),
    },
    {
      weight: 1,
      arbitrary: named(
        fc.constantFrom('.xls', '.xlsx'),
        fc.string({ unit: fc.constantFrom(...'ABCDabcd0189+/=-_ *'), minLength: 1, maxLength: 40 }),
      ),
    },
  )
}

/**
 * Bodies the spec accepts for each operation, built around the world's real ids and names so
 * that writes really happen (and sometimes collide: duplicate names, seats in a call, groups
 * with seats). The answer may still be any in-band status.
 */
export function validBodies(w: WorldSample, nowMs: number): Record<OperationId, fc.Arbitrary<unknown>> {
  return {
    queryPreviewTasks: fc.record({
      ...page,
      params: fc.record({ taskStatus: fc.subarray([1, 2, 11, 12, 13, 14, 15, 16]) }, { requiredKeys: [] }),
    }),
    querySeatGroups: fc.record({
      ...page,
      params: fc.record(
        { groupName: fc.oneof(fc.string({ maxLength: 6 }), groupName(w.groupNames)) },
        { requiredKeys: [] },
      ),
    }),
    addSeatGroup: fc.record({
      appId: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...w.apps) },
        { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
      ),
      groupName: groupName(w.groupNames),
    }),
    updateSeatGroup: fc.record({ voiceGroupId: id(w.groups), groupName: groupName(w.groupNames) }),
    // deleteSeatGroup is a GET: see queries().
    deleteSeatGroup: fc.constant(undefined),
    querySeats: fc.record({
      ...page,
      params: fc
        .record(
          {
            enable: fc.constantFrom(0, 1),
            name: fc.string({ maxLength: 4 }),
            voiceGroupId: id(w.groups),
            status: fc.constantFrom(1, 2, 3, 4, 5),
          },
          { requiredKeys: [] },
        )
        .chain((filters) => seatWindow(nowMs).map((window) => ({ ...filters, ...window }))),
    }),
    addSeats: fc.record(
      {
        voiceGroupId: id(w.groups),
        size: fc.integer({ min: 1, max: 4 }),
        displayNum: digits(4, 12),
        ccode: fc.constantFrom('63', '91', '62', '9999'),
      },
      { requiredKeys: ['voiceGroupId', 'size'] },
    ),
    updateSeat: fc
      .record(
        {
          pair: fc.oneof(
            {
              weight: 3,
              arbitrary:
                w.seatGroups.length > 0
                  ? fc.constantFrom(...w.seatGroups)
                  : fc.constant<[number, number]>([1, 1]),
            },
            { weight: 1, arbitrary: fc.tuple(id(w.seats), id(w.groups)) },
          ),
          groupAsString: fc.boolean(),
          name: fc.string({ minLength: 1, maxLength: 12 }),
          empNo: fc.oneof(
            { weight: 3, arbitrary: digits(6, 9) },
            { weight: 1, arbitrary: w.empNos.length > 0 ? fc.constantFrom(...w.empNos) : fc.constant('1') },
          ),
          password: fc.oneof(
            { weight: 3, arbitrary: alnum(1, 12) },
            { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
          ),
          ccode: fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom('63', '91') },
            { weight: 1, arbitrary: fc.constant('9999') },
          ),
          petName: fc.string({ maxLength: 8 }),
          displayNum: digits(4, 12),
        },
        { requiredKeys: ['pair', 'groupAsString', 'name', 'empNo'] },
      )
      .map(({ pair: [keyId, voiceGroupId], groupAsString, ...rest }) => ({
        keyId,
        voiceGroupId: groupAsString ? String(voiceGroupId) : voiceGroupId,
        ...rest,
      })),
    batchSeats: fc.record({
      type: fc.constantFrom(2, 3, 4),
      idList: fc.array(id(w.seats), { minLength: 1, maxLength: 4 }),
    }),
    uploadPreviewFile: uploadBodies(),
    ...taskBodies(w),
  }
}

/**
 * The four agent-task writes, aimed at the account's real files, tasks, groups and applications:
 * type 1 with one group and its settings (sometimes a group of another application: -74; an
 * application the targets run without a minimum rate: -77), type 0 with or without groups,
 * calloutRate up to just past the mock's default cap (10: -22 on submit/resend, -36 on edit),
 * unknown file paths and task ids now and then. Every body is spec-valid (`ccode`/`displayNum`
 * match their patterns), so Prism forwards it.
 */
function taskBodies(w: WorldSample) {
  const taskId = fc
    .oneof(
      { weight: 4, arbitrary: w.tasks.length > 0 ? fc.constantFrom(...w.tasks) : fc.constant(1) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 999_999_999 }) },
    )
    .chain((n) => fc.constantFrom<number | string>(n, String(n)))
  const calloutRate = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 9, max: 12 }) },
  )
  const settings = fc.record(
    {
      remark: fc.string({ maxLength: 50 }),
      ccode: fc.constantFrom('63', '91', '86', '9999'),
      displayNum: alnum(1, 20),
      maxRingingTime: fc.integer({ min: 20, max: 120 }),
    },
    { requiredKeys: [] },
  )
  const apps = w.apps.length > 0 ? w.apps : ['1']
  const groupCall = fc.record({
    type: fc.constant(1 as const),
    voiceGroupId: id(w.groups).map((g) => [g]),
    appId: fc.constantFrom(...apps),
    calloutRate,
  })
  const autoCall = fc.record(
    {
      type: fc.constant(0 as const),
      voiceGroupId: fc.uniqueArray(id(w.groups), { maxLength: 2 }),
      appId: fc.constantFrom(...apps),
      calloutRate,
    },
    { requiredKeys: ['type'] },
  )
  const kind = fc.oneof({ weight: 2, arbitrary: groupCall }, { weight: 3, arbitrary: autoCall })
  const filePath = fc.oneof(
    { weight: 5, arbitrary: w.files.length > 0 ? fc.constantFrom(...w.files) : fc.constant('/mnt/none.xls') },
    { weight: 1, arbitrary: alnum(1, 40).map((s) => `/mnt/cc/upload/${s}.xls`) },
  )
  return {
    submitPreviewTask: fc
      .record({ filePath, stem: alnum(1, 20), kind, settings })
      .map(({ filePath, stem, kind, settings }) => ({
        filePath,
        fileName: `${stem}.xls`,
        ...kind,
        ...settings,
      })),
    editPreviewTask: fc.record(
      { taskId, calloutRate, remark: fc.string({ maxLength: 50 }) },
      { requiredKeys: ['taskId', 'calloutRate'] },
    ),
    cancelPreviewTask: fc.record({ taskId }),
    resendPreviewTask: fc
      .record({ taskId, resendType: fc.constantFrom(1, 2, 3), kind, settings })
      .map(({ taskId, resendType, kind, settings }) => ({ taskId, resendType, ...kind, ...settings })),
  }
}

/** deleteSeatGroup's query strings: real ids, unknown ids, and garbage (missing, letters, repeats). */
export function deleteQueries(w: WorldSample): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: id(w.groups).map((n) => `voiceGroupId=${n}`) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant(''),
        fc.constant('voiceGroupId='),
        fc.constantFrom(
          'voiceGroupId=-1',
          'voiceGroupId=0',
          'voiceGroupId=1e3',
          'voiceGroupId=99999999999999999999',
        ),
        id(w.groups).map((n) => `voiceGroupId=${n}&voiceGroupId=${n + 1}`),
        fc.string({ maxLength: 30 }).map((s) => `voiceGroupId=${encodeURIComponent(s)}`),
        fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
      ),
    },
  )
}

/** A valid body with one field replaced, removed or added: near misses the validator must name. */
export function nearMisses(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.constantFrom('replace', 'remove', 'add'), fc.jsonValue({ maxDepth: 2 }))
    .map(([body, pick, how, value]) => {
      if (typeof body !== 'object' || body === null) return value
      const copy: Record<string, unknown> = structuredClone(body as Record<string, unknown>)
      const keys = Object.keys(copy)
      const key = keys[pick % Math.max(1, keys.length)] ?? 'x'
      if (how === 'remove') delete copy[key]
      else if (how === 'replace') copy[key] = value
      else copy[`x${pick % 7}`] = value
      return copy
    })
}

/** Anything at all: JSON of every shape, and text that is not JSON. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)

/** An ignored query string on a POST (the vendor's paths take none): empty most of the time. */
export const strayQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `${encodeURIComponent(s)}=1`) },
)

/** Requests for one operation: valid bodies, near misses and garbage (GET: query strings). */
export function requestsFor(
  op: OperationId,
  method: 'GET' | 'POST',
  w: WorldSample,
  nowMs: number,
): fc.Arbitrary<FuzzRequest> {
  if (method === 'GET') return deleteQueries(w).map((query) => ({ body: undefined, query }))
  const valid = validBodies(w, nowMs)[op]
  const body = fc.oneof(
    { weight: 5, arbitrary: valid.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: nearMisses(valid).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: anyText },
  )
  return fc.record({ body, query: strayQuery })
}
