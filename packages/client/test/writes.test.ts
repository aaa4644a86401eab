import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it, vi } from 'vitest'
import {
  createLaafficClient,
  type LaafficClient,
  LaafficConnectionError,
  LaafficHttpError,
  LaafficTimeoutError,
  type RequestOptions,
  SystemError,
} from '../src/index.js'
import { client, fail, KEY, okData, recordingSleep, SECRET, stubFetch } from './helpers.js'

const SEAT_PARAMS = { strTime: '2025-01-01 00:00:00', endTime: '2025-02-01 00:00:00' }

type Call = (c: LaafficClient, o?: RequestOptions) => Promise<unknown>
const WRITES: Array<[string, Call, unknown]> = [
  ['seats.addList', (c, o) => c.seats.addList({ voiceGroupId: 1, size: 2 }, o), [{ keyId: 1, name: 'a' }]],
  ['seatGroups.add', (c, o) => c.seatGroups.add({ groupName: 'abcd', appId: 'x' }, o), null],
  ['seatGroups.update', (c, o) => c.seatGroups.update({ groupName: 'abcd', voiceGroupId: 1 }, o), null],
  ['seatGroups.delete', (c, o) => c.seatGroups.delete({ voiceGroupId: 1 }, o), null],
  ['seats.update', (c, o) => c.seats.update({ keyId: 1, name: 'n', voiceGroupId: 1, empNo: 'e' }, o), null],
  ['seats.batch', (c, o) => c.seats.batch({ type: 2, idList: [1] }, o), null],
  [
    'previewTasks.submit',
    (c, o) => c.previewTasks.submit({ filePath: '/mnt/cc/a.xls', fileName: 'a.xls', type: 0 }, o),
    5017560,
  ],
  ['previewTasks.edit', (c, o) => c.previewTasks.edit({ taskId: 1, calloutRate: 2 }, o), null],
  ['previewTasks.cancel', (c, o) => c.previewTasks.cancel({ taskId: '1' }, o), null],
  ['previewTasks.resend', (c, o) => c.previewTasks.resend({ taskId: 1, resendType: 3, type: 0 }, o), 5017561],
]
const READS: Array<[string, Call, unknown]> = [
  [
    'seats.query',
    (c, o) => c.seats.query({ current: 1, size: 1, params: SEAT_PARAMS }, o),
    { pages: 0, records: [] },
  ],
  [
    'seatGroups.query',
    (c, o) => c.seatGroups.query({ current: 1, size: 1, params: {} }, o),
    { pages: 0, records: [] },
  ],
  ['queryTasks', (c, o) => c.queryTasks({ current: 1, size: 1, params: {} }, o), { pages: 0, records: [] }],
]

const code = (c: string) => Object.assign(new Error(`connect ${c} 10.0.0.1:443`), { code: c })
const fetchFailed = (c: string) => new TypeError('fetch failed', { cause: code(c) })

// Failures after which the write may have been applied: a write must not be repeated.
const MAYBE_APPLIED: Array<[string, () => Response | Error, new (...a: never[]) => Error]> = [
  ['in-band -18', () => fail('-18', 'System exception'), SystemError],
  ['HTTP 500', () => new Response('x', { status: 500 }), LaafficHttpError],
  ['HTTP 502', () => new Response('x', { status: 502 }), LaafficHttpError],
  ['HTTP 504', () => new Response('x', { status: 504 }), LaafficHttpError],
  ['HTTP 408', () => new Response('x', { status: 408 }), LaafficHttpError],
  ['a reset socket', () => fetchFailed('ECONNRESET'), LaafficConnectionError],
  ['a socket error', () => fetchFailed('UND_ERR_SOCKET'), LaafficConnectionError],
  ['a failure with no code', () => new TypeError('Failed to fetch'), LaafficConnectionError],
]
// Failures that prove nothing was processed: safe to retry even an addSeats.
const UNPROCESSED: Array<[string, () => Response | Error]> = [
  ['connection refused', () => fetchFailed('ECONNREFUSED')],
  ['DNS: host not found', () => fetchFailed('ENOTFOUND')],
  ['DNS: try again', () => fetchFailed('EAI_AGAIN')],
  ['connect timeout (socket never opened)', () => fetchFailed('UND_ERR_CONNECT_TIMEOUT')],
  ['HTTP 429', () => new Response('slow', { status: 429 })],
  ['HTTP 503', () => new Response('down', { status: 503 })],
]

describe('writes: retried only on failures that prove them unprocessed (default)', () => {
  for (const [name, call] of WRITES) {
    for (const [what, answer, Ctor] of MAYBE_APPLIED) {
      it(`${name}: ${what} → thrown after one attempt`, async () => {
        const { fetch } = stubFetch(answer(), okData(null))
        const { sleep } = recordingSleep()
        await expect(call(client({ fetch, sleep }))).rejects.toBeInstanceOf(Ctor)
        expect(fetch).toHaveBeenCalledTimes(1)
        expect(sleep).not.toHaveBeenCalled()
      })
    }
    it(`${name}: its own timeout → thrown after one attempt`, async () => {
      const fetch = vi.fn(() => new Promise<Response>(() => {}))
      await expect(call(client({ fetch, timeoutMs: 10, sleep: async () => {} }))).rejects.toBeInstanceOf(
        LaafficTimeoutError,
      )
      expect(fetch).toHaveBeenCalledTimes(1)
    })
  }

  for (const [what, answer] of UNPROCESSED) {
    it(`${what} → every write is retried, then succeeds`, async () => {
      for (const [name, call, data] of WRITES) {
        const { fetch } = stubFetch(answer(), okData(data))
        await expect(call(client({ fetch, sleep: async () => {} })), name).resolves.toEqual(data)
        expect(fetch).toHaveBeenCalledTimes(2)
      }
    })
  }

  it('unprocessed failures still count against maxRetries', async () => {
    const { fetch } = stubFetch(fetchFailed('ECONNREFUSED'))
    const { sleep, delays } = recordingSleep()
    await expect(client({ fetch, sleep }).seats.addList({ voiceGroupId: 1, size: 1 })).rejects.toBeInstanceOf(
      LaafficConnectionError,
    )
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(delays).toEqual([500, 1000])
  })

  it('a -16 cured by a clock-skew correction is retried for a write (the server refused it unread)', async () => {
    const local = 1_700_000_000_000
    const { fetch, requests } = stubFetch(
      fail(-16, 'timestamp expires', { Date: new Date(local + 3_600_000).toUTCString() }),
      okData([{ keyId: 1, name: 'a' }]),
    )
    const c = client({ fetch, now: () => local })
    await expect(c.seats.addList({ voiceGroupId: 1, size: 1 })).resolves.toHaveLength(1)
    expect(requests.map((r) => r.headers.get('Timestamp'))).toEqual([
      String(local / 1000),
      String(local / 1000 + 3600),
    ])
  })
})

describe("retryWrites: 'always'", () => {
  it('per call: a write is retried as a read would be', async () => {
    for (const [name, call, data] of WRITES) {
      const { fetch } = stubFetch(fail('-18'), new Response('x', { status: 500 }), okData(data))
      await expect(
        call(client({ fetch, sleep: async () => {} }), { retryWrites: 'always' }),
        name,
      ).resolves.toEqual(data)
      expect(fetch).toHaveBeenCalledTimes(3)
    }
  })

  it('per call: a timed-out write is retried', async () => {
    let n = 0
    const fetch = vi.fn(() => (++n === 1 ? new Promise<Response>(() => {}) : Promise.resolve(okData(null))))
    await expect(
      client({ fetch, timeoutMs: 10, sleep: async () => {} }).seats.batch(
        { type: 3, idList: [1] },
        { retryWrites: 'always' },
      ),
    ).resolves.toBeNull()
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('as a client default, overridable per call', async () => {
    const { fetch } = stubFetch(new Response('x', { status: 500 }), okData(null))
    const c = client({ fetch, sleep: async () => {}, retryWrites: 'always' })
    await expect(c.seatGroups.update({ groupName: 'abcd', voiceGroupId: 1 })).resolves.toBeNull()
    expect(fetch).toHaveBeenCalledTimes(2)
    const { fetch: f2 } = stubFetch(new Response('x', { status: 500 }), okData(null))
    const c2 = client({ fetch: f2, sleep: async () => {}, retryWrites: 'always' })
    await expect(
      c2.seatGroups.update({ groupName: 'abcd', voiceGroupId: 1 }, { retryWrites: 'unprocessed' }),
    ).rejects.toBeInstanceOf(LaafficHttpError)
    expect(f2).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['client', () => client({ retryWrites: 'sometimes' as never })],
    ['client (wrong case)', () => client({ retrywrites: 'always' } as never)],
  ])('a bad %s option is a TypeError', (_what, make) => {
    expect(make).toThrow(TypeError)
    expect(make).toThrow(/retryWrites/)
  })

  it('a bad per-call value is a TypeError before any request, for reads and writes alike', async () => {
    const { fetch } = stubFetch(okData(null))
    const c = client({ fetch })
    await expect(c.seats.batch({ type: 2, idList: [1] }, { retryWrites: 'yes' as never })).rejects.toThrow(
      /^laaffic: retryWrites must be 'unprocessed' or 'always'$/,
    )
    expect(fetch).not.toHaveBeenCalled()
  })
})

describe('reads are unaffected', () => {
  for (const [name, call, data] of READS) {
    it(`${name}: -18, 500 and a timeout are retried as before`, async () => {
      const { fetch } = stubFetch(fail('-18'), new Response('x', { status: 500 }), okData(data))
      await expect(call(client({ fetch, sleep: async () => {} }))).resolves.toEqual(data)
      expect(fetch).toHaveBeenCalledTimes(3)
    })
  }
})

describe('over real HTTP', () => {
  it('nothing listening → an addSeats is retried (connection refused proves nothing was sent)', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    await new Promise((resolve) => server.close(resolve))
    const { sleep, delays } = recordingSleep()
    const c = createLaafficClient({
      apiKey: KEY,
      apiSecret: SECRET,
      baseUrl: `http://127.0.0.1:${port}`,
      sleep,
    })
    const err = await c.seats.addList({ voiceGroupId: 1, size: 1 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect((err as LaafficConnectionError).code).toBe('ECONNREFUSED')
    expect(delays).toHaveLength(2)
  })

  it('a server that resets after reading the request → an addSeats is not retried', async () => {
    let received = 0
    const server = createServer((req) => {
      received++
      req.resume()
      req.on('end', () => req.socket.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const { sleep } = recordingSleep()
      const c = createLaafficClient({
        apiKey: KEY,
        apiSecret: SECRET,
        baseUrl: `http://127.0.0.1:${port}`,
        sleep,
      })
      await expect(c.seats.addList({ voiceGroupId: 1, size: 1 })).rejects.toBeInstanceOf(
        LaafficConnectionError,
      )
      expect(received).toBe(1)
      expect(sleep).not.toHaveBeenCalled()
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
