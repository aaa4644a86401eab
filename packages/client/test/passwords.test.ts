// Seat passwords come back in clear from seats.query (CC-FAMILY §3.8). The caller gets them;
// no log line, error message, bodyExcerpt or error body the client produces may show one.
import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import {
  type LaafficApiError,
  type LaafficClient,
  LaafficConnectionError,
  LaafficHttpError,
  type Logger,
  SystemError,
} from '../src/index.js'
import {
  captureLogger,
  client,
  json,
  ok,
  okData,
  page,
  record,
  seatRecord,
  stubFetch,
  views,
} from './helpers.js'

const SEAT_PARAMS = { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 00:00:00' }
const Q = { current: 1, size: 15, params: SEAT_PARAMS }
const seats = [seatRecord(1, { password: 'Qz7pL0ngPass1' }), seatRecord(2, { password: 'Wm3kShort2' })]
const PASSWORDS = seats.map((s) => s.password)
const seatPage = { total: 2, size: 15, current: 1, pages: 1, searchCount: true, records: seats }

function expectClean(texts: string[], secrets: string[] = PASSWORDS) {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret)
}

describe('seat passwords', () => {
  it('are handed to the caller in clear, and never logged', async () => {
    const { logger, lines } = captureLogger()
    const { fetch } = stubFetch(okData(seatPage))
    const c = client({ fetch, logger })
    const page = await c.seats.query(Q)
    expect(page.records.map((s) => s.password)).toEqual(PASSWORDS)
    const all = await c.seats.iterate({ params: SEAT_PARAMS }).toArray()
    expect(all.map((s) => s.password)).toEqual(PASSWORDS)
    expect(lines.length).toBeGreaterThan(0)
    expectClean(lines)
  })

  const text = JSON.stringify({ status: '0', reason: 'success', data: seatPage })
  const cut = text.indexOf(PASSWORDS[0]!) + 4 // a body cut in the middle of a password
  const cases: Array<[string, () => Response, new (...a: never[]) => Error]> = [
    ['status 0 without a valid page', () => okData({ ...seatPage, pages: 'one' }), LaafficHttpError],
    ['HTTP 500 carrying the page', () => new Response(text, { status: 500 }), LaafficHttpError],
    ['HTTP 400 carrying the page', () => new Response(text, { status: 400 }), LaafficHttpError],
    [
      'a body cut inside a password',
      () => new Response(text.slice(0, cut), { status: 200 }),
      LaafficHttpError,
    ],
    [
      'in-band -18 with the page in data',
      () => json({ status: '-18', reason: 'x', data: seatPage }),
      SystemError,
    ],
    [
      'a numeric password in a non-JSON body',
      () => new Response(`<html>{"password": 20250101, "password":"Qz7pL0ngPass1"`, { status: 502 }),
      LaafficHttpError,
    ],
  ]
  for (const [what, answer, Ctor] of cases) {
    it(`${what}: not in the error (message, stack, bodyExcerpt, body) nor in the retry log lines`, async () => {
      const { logger, lines } = captureLogger()
      const { fetch } = stubFetch(answer)
      const err = await client({ fetch, logger, sleep: async () => {} })
        .seats.query(Q)
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(Ctor)
      const extra =
        err instanceof LaafficHttpError
          ? [err.bodyExcerpt]
          : [
              JSON.stringify((err as LaafficApiError).body),
              inspect((err as LaafficApiError).body, { depth: 10 }),
            ]
      expectClean([...views(err), ...extra, ...lines], [...PASSWORDS, PASSWORDS[0]!.slice(0, 4), '20250101'])
      if (err instanceof LaafficHttpError) expect(err.bodyExcerpt).toContain('"password":"[redacted]"')
      else {
        const body = (err as LaafficApiError).body as {
          data: { records: Array<{ password: string; name: string }> }
        }
        expect(body.data.records.map((r) => r.password)).toEqual(['[redacted]', '[redacted]'])
        expect(body.data.records[0]!.name).toBe('seat-1') // everything else is kept
      }
    })
  }

  it('through a raw middleware (openapi-fetch parses error bodies): still scrubbed', async () => {
    const { fetch } = stubFetch(new Response(text, { status: 503 }))
    const c = client({ fetch, maxRetries: 0 })
    c.raw.use({ onResponse: () => undefined })
    const err = (await c.seats.query(Q).catch((e: unknown) => e)) as LaafficHttpError
    expect(err).toBeInstanceOf(LaafficHttpError)
    expectClean([...views(err), err.bodyExcerpt])
    expect(err.bodyExcerpt).toContain('[redacted]')
  })

  it('a password sent with seats.update and echoed by the server is scrubbed like the Sign', async () => {
    const password = 'N3wSeatPw'
    const update = (c: LaafficClient) =>
      c.seats
        .update({ keyId: 1, name: 'n', voiceGroupId: '12', empNo: 'e', password })
        .catch((e: unknown) => e)
    const { logger, lines } = captureLogger()
    const echo = stubFetch(
      json({
        status: -64,
        reason: `password ${password} may contain only letters and digits`,
        data: { password },
      }),
    )
    const inBand = (await update(client({ fetch: echo.fetch, logger }))) as LaafficApiError
    expect(inBand.code).toBe(-64)
    expect(inBand.reason).toBe('password [redacted] may contain only letters and digits')
    // A custom fetch whose error quotes the request body.
    const quoting = stubFetch(async (req) => {
      throw new TypeError(`refused ${await req.text()}`)
    })
    const conn = await update(client({ fetch: quoting.fetch, logger, maxRetries: 0 }))
    expect(conn).toBeInstanceOf(LaafficConnectionError)
    expectClean([...views(inBand), JSON.stringify(inBand.body), ...views(conn), ...lines], [password])
  })
})

// Full phone numbers never reach an error either (the protocol's sensitive-field rule): the
// caller gets them whole, an error shows the last 4 digits.
describe('phone numbers', () => {
  const CALLING = '8613500001234'
  const DISPLAY = '8613500005678'
  const tasks = page([record(1, { callingNumber: CALLING, displayNum: DISPLAY })])

  it('are handed to the caller whole', async () => {
    const { fetch } = stubFetch(ok(tasks))
    const got = await client({ fetch }).previewTasks.query({ current: 1, size: 15, params: {} })
    expect(got.records[0]).toMatchObject({ callingNumber: CALLING, displayNum: DISPLAY })
  })

  it.each([
    [
      'HTTP 500 carrying the page',
      () => new Response(JSON.stringify({ status: 0, data: tasks }), { status: 500 }),
    ],
    ['in-band -18 with the page in data', () => json({ status: -18, reason: 'x', data: tasks })],
  ])('%s: masked to the last 4 digits in the error and the logs', async (_what, answer) => {
    const { logger, lines } = captureLogger()
    const { fetch } = stubFetch(answer)
    const err = await client({ fetch, logger, sleep: async () => {} })
      .previewTasks.query({ current: 1, size: 15, params: {} })
      .catch((e: unknown) => e)
    const body =
      err instanceof LaafficHttpError ? err.bodyExcerpt : JSON.stringify((err as LaafficApiError).body)
    expectClean([...views(err), body, ...lines], [CALLING, DISPLAY])
    expect(body).toContain('*********1234')
    expect(body).toContain('*********5678')
  })
})
