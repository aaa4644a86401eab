import { SIGNING_TEST_VECTOR, STATUS_CODES, verifySign } from '@laaffic-kit/protocol'
import { describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  createLaafficClient,
  DataExistsError,
  DataLimitError,
  IpRestrictedError,
  LaafficApiError,
  LaafficConnectionError,
  LaafficError,
  LaafficHttpError,
  LaafficTimeoutError,
  ParameterError,
  SystemError,
  TimestampExpiredError,
} from '../src/index.js'
import { client, fail, json, KEY, ok, page, record, recordingSleep, SECRET, stubFetch } from './helpers.js'

const Q = { current: 1, size: 15, params: {} }

describe('signing on the wire', () => {
  it('sends the vendor vector: Api-Key, Timestamp in seconds, md5 Sign, JSON body', async () => {
    const { fetch, requests } = stubFetch(ok())
    const c = createLaafficClient({
      apiKey: SIGNING_TEST_VECTOR.apiKey,
      apiSecret: SIGNING_TEST_VECTOR.apiSecret,
      now: () => 1630468800000,
      fetch,
    })
    await c.queryTasks({ current: 1, size: 15, params: { startTime: '2025-01-10', endTime: '2025-02-10' } })
    const req = requests[0]!
    expect(req.method).toBe('POST')
    expect(req.url).toBe('https://api.laaffic.com/v3/cc/preview/query')
    expect(req.headers.get('Api-Key')).toBe('bDqJFiq9')
    expect(req.headers.get('Timestamp')).toBe('1630468800')
    expect(req.headers.get('Sign')).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
    expect(req.headers.get('Content-Type')).toBe('application/json;charset=UTF-8')
    expect(await req.json()).toEqual({
      current: 1,
      size: 15,
      params: { startTime: '2025-01-10', endTime: '2025-02-10' },
    })
  })

  it('signs every attempt afresh (a retry gets a new Timestamp and Sign)', async () => {
    let clock = 1_700_000_000_000
    const { fetch, requests } = stubFetch(new Response('boom', { status: 500 }), ok())
    const { sleep } = recordingSleep()
    const c = client({
      fetch,
      now: () => clock,
      sleep: async () => {
        await sleep(0)
        clock += 5_000
      },
    })
    await c.queryTasks(Q)
    expect(requests).toHaveLength(2)
    const [a, b] = requests.map((r) => [r.headers.get('Timestamp'), r.headers.get('Sign')] as const)
    expect(a![0]).toBe('1700000000')
    expect(b![0]).toBe('1700000005')
    expect(a![1]).not.toBe(b![1])
    expect(verifySign(b![1]!, KEY, SECRET, b![0]!)).toBe(true)
  })

  it('reuses a Sign only within its second: never stale, never the per-request override', async () => {
    let clock = 1_700_000_000_999
    const { fetch, requests } = stubFetch(ok(), ok(), ok(), ok())
    const c = client({ fetch, now: () => clock })
    await c.queryTasks(Q)
    await c.queryTasks(Q, { headers: { Sign: 'forged', Timestamp: '1' } })
    clock += 1 // next second
    await c.queryTasks(Q)
    clock -= 1_000 // a clock that steps back
    await c.queryTasks(Q)
    const seen = requests.map((r) => [r.headers.get('Timestamp')!, r.headers.get('Sign')!] as const)
    expect(seen.map(([ts]) => ts)).toEqual(['1700000000', '1700000000', '1700000001', '1700000000'])
    for (const [ts, sign] of seen) expect(verifySign(sign, KEY, SECRET, ts)).toBe(true)
  })

  it('uses a custom baseUrl (trailing slash tolerated) and per-request headers; signing headers win', async () => {
    const { fetch, requests } = stubFetch(ok())
    const c = client({ fetch, baseUrl: 'http://localhost:8787/', headers: { 'X-Default': 'd' } })
    await c.queryTasks(Q, { headers: { 'X-Mock-Status': '-22', Sign: 'forged' } })
    const req = requests[0]!
    expect(req.url).toBe('http://localhost:8787/v3/cc/preview/query')
    expect(req.headers.get('X-Mock-Status')).toBe('-22')
    expect(req.headers.get('X-Default')).toBe('d')
    expect(req.headers.get('Sign')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('without a fetch option, calls the global fetch at request time with a URL and a string body', async () => {
    // A string body (not the Request's stream) makes Node send Content-Length instead of
    // chunked encoding, which is also ~1 ms a call faster against a local server.
    const calls: Array<[unknown, RequestInit | undefined]> = []
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => {
      calls.push([input, init])
      return ok()
    })
    try {
      await client({ now: () => 1630468800000 }).queryTasks(Q, { headers: { 'X-Extra': '1' } })
      expect(calls).toHaveLength(1)
      const [url, init] = calls[0]!
      expect(url).toBe('https://api.laaffic.com/v3/cc/preview/query')
      expect(init?.method).toBe('POST')
      expect(typeof init?.body).toBe('string')
      expect(JSON.parse(init?.body as string)).toEqual(Q)
      const headers = new Headers(init?.headers)
      expect(headers.get('Sign')).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
      expect(headers.get('X-Extra')).toBe('1')
      expect(init?.signal).toBeInstanceOf(AbortSignal)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('raw and the queryTasks transport', () => {
  it('a user fetch gets one Request per attempt, with a string body and the merged headers', async () => {
    const { fetch, requests } = stubFetch(ok())
    const c = client({
      fetch,
      now: () => 1630468800000,
      // Lower-case and mixed-case names: the signing headers must still win, not be appended.
      headers: new Headers({ sign: 'forged', 'content-type': 'text/plain', 'X-Default': 'd' }),
    })
    await c.queryTasks(Q, { headers: { 'API-KEY': 'other', 'X-Call': 'c' } })
    const req = requests[0]!
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(fetch.mock.calls[0]![0]).toBeInstanceOf(Request)
    expect(req.headers.get('Sign')).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
    expect(req.headers.get('Api-Key')).toBe(KEY)
    expect(req.headers.get('Content-Type')).toBe('application/json;charset=UTF-8')
    expect(req.headers.get('X-Default')).toBe('d')
    expect(req.headers.get('X-Call')).toBe('c')
    expect(await req.text()).toBe(JSON.stringify(Q))
  })

  it('skips headers left undefined (as openapi-fetch does) instead of sending "undefined"', async () => {
    const { fetch, requests } = stubFetch(ok())
    await client({ fetch }).queryTasks(Q, { headers: { 'X-Gone': undefined } as never })
    expect(requests[0]!.headers.has('X-Gone')).toBe(false)
  })

  it('raw.POST is signed and goes through the user fetch; no retries, no envelope checks', async () => {
    const { fetch, requests } = stubFetch(fail(-22, 'bad size'))
    const c = client({ fetch, now: () => 1630468800000, headers: { 'X-Default': 'd' } })
    const { data, response } = await c.raw.POST('/v3/cc/preview/query', { body: Q })
    expect(response.status).toBe(200)
    expect(data).toEqual({ status: -22, reason: 'bad size', data: null })
    expect(requests).toHaveLength(1)
    expect(requests[0]!.headers.get('Sign')).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
    expect(requests[0]!.headers.get('X-Default')).toBe('d')
  })

  it('raw without a fetch option calls the global fetch with a string body', async () => {
    const calls: Array<[unknown, RequestInit | undefined]> = []
    vi.stubGlobal('fetch', async (input: unknown, init?: RequestInit) => {
      calls.push([input, init])
      return ok()
    })
    try {
      await client({ now: () => 1630468800000 }).raw.POST('/v3/cc/preview/query', { body: Q })
      const [input, init] = calls[0]!
      expect(typeof init?.body).toBe('string')
      expect(JSON.parse(init?.body as string)).toEqual(Q)
      const req = new Request(input as Request, init)
      expect(req.url).toBe('https://api.laaffic.com/v3/cc/preview/query')
      expect(req.headers.get('Sign')).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('once a middleware is added with raw.use, queryTasks requests go through it, signed per attempt', async () => {
    let clock = 1_700_000_000_000
    const { fetch, requests } = stubFetch(new Response('boom', { status: 500 }), ok())
    const c = client({
      fetch,
      now: () => clock,
      sleep: async () => {
        clock += 5_000
      },
    })
    const seen: Array<string | null> = []
    c.raw.use({
      onRequest({ request }) {
        seen.push(request.headers.get('Timestamp'))
        request.headers.set('X-Traced', '1')
        return request
      },
    })
    await expect(c.queryTasks(Q)).resolves.toBeDefined()
    expect(seen).toEqual(['1700000000', '1700000005'])
    expect(requests.map((r) => r.headers.get('X-Traced'))).toEqual(['1', '1'])
    expect(verifySign(requests[1]!.headers.get('Sign')!, KEY, SECRET, '1700000005')).toBe(true)
  })

  it('through a raw middleware, envelope errors and their scrubbing are unchanged', async () => {
    const { fetch } = stubFetch(new Response(`{"status":-1,"reason":"bad ${SECRET}"}`, { status: 503 }))
    const c = client({ fetch, maxRetries: 0 })
    c.raw.use({ onResponse: () => undefined })
    const err = (await c.queryTasks(Q).catch((e: unknown) => e)) as LaafficHttpError
    expect(err).toBeInstanceOf(LaafficHttpError)
    expect(err.httpStatus).toBe(503)
    expect(err.bodyExcerpt).toBe('{"status":-1,"reason":"bad [redacted]"}')
  })
})

describe('envelope', () => {
  it.each([0, '0', ' 0 '])('accepts status %j as success and returns the page', async (status) => {
    const data = page([record(7)])
    const { fetch } = stubFetch(ok(data, status))
    await expect(client({ fetch }).queryTasks(Q)).resolves.toEqual(data)
  })

  const classes = {
    '-1': AuthenticationError,
    '-2': IpRestrictedError,
    '-16': TimestampExpiredError,
    '-18': SystemError,
    '-20': DataExistsError,
    '-22': ParameterError,
    '-23': DataLimitError,
  } as const

  it('has a class for every failure code of the protocol table', () => {
    const failures = STATUS_CODES.filter((s) => s.code !== 0).map((s) => String(s.code))
    expect(Object.keys(classes).sort()).toEqual(failures.sort())
  })

  for (const [code, Ctor] of Object.entries(classes)) {
    for (const asString of [false, true]) {
      it(`maps status ${asString ? JSON.stringify(code) : code} to ${Ctor.name}`, async () => {
        const status = asString ? code : Number(code)
        const { fetch } = stubFetch(fail(status, 'why', { 'X-Request-Id': 'req-1' }))
        const err = await client({ fetch, maxRetries: 0, correctClockSkew: false })
          .queryTasks(Q)
          .catch((e: unknown) => e)
        expect(err).toBeInstanceOf(Ctor)
        expect(err).toBeInstanceOf(LaafficApiError)
        expect(err).toBeInstanceOf(LaafficError)
        const e = err as LaafficApiError
        expect(e.code).toBe(Number(code))
        expect(e.reason).toBe('why')
        expect(e.httpStatus).toBe(200)
        expect(e.requestId).toBe('req-1')
        expect(e.body).toEqual({ status, reason: 'why', data: null })
        expect(e.name).toBe(Ctor.name)
        expect(e.message).toContain('why')
      })
    }
  }

  it.each([-15, '-24', -31, 7])('keeps unknown code %j on the base LaafficApiError', async (status) => {
    const { fetch } = stubFetch(fail(status, 'query too frequently'))
    const err = await client({ fetch })
      .queryTasks(Q)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficApiError)
    expect((err as Error).constructor).toBe(LaafficApiError)
    expect((err as LaafficApiError).code).toBe(Number(status))
    expect((err as LaafficApiError).retryable).toBe(false)
    expect(fetch).toHaveBeenCalledTimes(1) // unknown codes are not retried
  })

  it('LaafficApiError.from builds the subclass from a code', () => {
    expect(LaafficApiError.from({ code: -22, reason: 'x', httpStatus: 200 })).toBeInstanceOf(ParameterError)
    expect(LaafficApiError.from({ code: -99, reason: 'x', httpStatus: 200 }).constructor).toBe(
      LaafficApiError,
    )
  })

  it.each([
    ['malformed JSON', new Response('{"status":0,', { status: 200 }), 'not JSON'],
    ['empty body', new Response('', { status: 200 }), 'not JSON'],
    ['JSON that is not an envelope', json([1, 2]), 'envelope'],
    ['a non-numeric status', json({ status: 'ok', reason: 'x' }), 'envelope'],
    ['a missing status', json({ reason: 'x' }), 'envelope'],
    ['success without data', json({ status: 0, reason: 'success', data: null }), 'without a page'],
    ['a page without records', json({ status: 0, reason: 'success', data: { pages: 1 } }), 'without a page'],
  ])('turns %s into LaafficHttpError (not retried)', async (_what, response, detail) => {
    const { fetch } = stubFetch(response)
    const err = await client({ fetch })
      .queryTasks(Q)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficHttpError)
    expect((err as LaafficHttpError).httpStatus).toBe(200)
    expect((err as Error).message).toContain(detail)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('bounds the body excerpt of an HTTP error', async () => {
    const { fetch } = stubFetch(new Response('x'.repeat(10_000), { status: 404 }))
    const err = (await client({ fetch })
      .queryTasks(Q)
      .catch((e: unknown) => e)) as LaafficHttpError
    expect(err).toBeInstanceOf(LaafficHttpError)
    expect(err.httpStatus).toBe(404)
    expect(err.bodyExcerpt).toBe('x'.repeat(500))
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('retries', () => {
  it('retries HTTP 500 then succeeds, with exponential backoff', async () => {
    const { fetch } = stubFetch(new Response('x', { status: 500 }), new Response('x', { status: 503 }), ok())
    const { sleep, delays } = recordingSleep()
    await expect(client({ fetch, sleep }).queryTasks(Q)).resolves.toBeDefined()
    expect(fetch).toHaveBeenCalledTimes(3)
    expect(delays).toEqual([500, 1000])
  })

  it('applies up to 25 % jitter and caps the delay at 8 s', async () => {
    const { fetch } = stubFetch(new Response('x', { status: 502 }))
    const { sleep, delays } = recordingSleep()
    await client({ fetch, sleep, random: () => 0.999999, maxRetries: 6 })
      .queryTasks(Q)
      .catch(() => {})
    expect(fetch).toHaveBeenCalledTimes(7)
    expect(delays).toEqual([375, 750, 1500, 3000, 6000, 6000])
  })

  it.each([
    [{ 'Retry-After': '3' }, 3000],
    [{ 'retry-after-ms': '1234' }, 1234],
    [{ 'Retry-After': new Date(1_700_000_007_000).toUTCString() }, 7000],
    [{ 'Retry-After': '3600' }, 500], // an hour is not a backoff: fall back to our own schedule
  ])('honours %j on 429', async (headers, expected) => {
    const { fetch } = stubFetch(new Response('slow down', { status: 429, headers }), ok())
    const { sleep, delays } = recordingSleep()
    await client({ fetch, sleep, now: () => 1_700_000_000_000 }).queryTasks(Q)
    expect(delays).toEqual([expected])
  })

  it.each([408, 409, 429, 500, 502, 503, 504])('retries HTTP %i', async (status) => {
    const { fetch } = stubFetch(new Response('x', { status }), ok())
    await client({ fetch, sleep: async () => {} }).queryTasks(Q)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it.each([400, 401, 403, 404])('does not retry HTTP %i', async (status) => {
    const { fetch } = stubFetch(new Response('x', { status }), ok())
    await expect(client({ fetch, sleep: async () => {} }).queryTasks(Q)).rejects.toBeInstanceOf(
      LaafficHttpError,
    )
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('retries in-band -18 and gives up after maxRetries with SystemError', async () => {
    const { fetch } = stubFetch(fail(-18))
    const { sleep } = recordingSleep()
    await expect(client({ fetch, sleep }).queryTasks(Q)).rejects.toBeInstanceOf(SystemError)
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it.each([-1, -2, -20, -22, -23])('never retries %i', async (code) => {
    const { fetch } = stubFetch(fail(code))
    await expect(client({ fetch, sleep: async () => {} }).queryTasks(Q)).rejects.toBeInstanceOf(
      LaafficApiError,
    )
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('retries connection errors and wraps them in LaafficConnectionError', async () => {
    const { fetch } = stubFetch(new TypeError('fetch failed'))
    const err = await client({ fetch, sleep: async () => {}, maxRetries: 1 })
      .queryTasks(Q)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect((err as Error).cause).toBeInstanceOf(Error)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('per-request maxRetries overrides the default', async () => {
    const { fetch } = stubFetch(new Response('x', { status: 500 }))
    await expect(
      client({ fetch, sleep: async () => {} }).queryTasks(Q, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(LaafficHttpError)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('times out a hanging fetch per attempt, retries, then throws LaafficTimeoutError', async () => {
    // This fetch ignores its signal entirely: the client must not depend on fetch honouring it.
    const fetch = vi.fn(() => new Promise<Response>(() => {}))
    const err = await client({ fetch, timeoutMs: 20, sleep: async () => {} })
      .queryTasks(Q)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficTimeoutError)
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect((err as LaafficTimeoutError).timeoutMs).toBe(20)
    expect(fetch).toHaveBeenCalledTimes(3)
  })

  it('passes an abort signal to fetch that fires on timeout', async () => {
    let seen: AbortSignal | undefined
    const fetch = vi.fn(
      (req: Request) =>
        new Promise<Response>((_, reject) => {
          seen = req.signal
          req.signal.addEventListener('abort', () => reject(req.signal.reason))
        }),
    )
    await expect(client({ fetch, timeoutMs: 10, maxRetries: 0 }).queryTasks(Q)).rejects.toBeInstanceOf(
      LaafficTimeoutError,
    )
    expect(seen?.aborted).toBe(true)
  })
})

describe('abort', () => {
  it('rejects with the AbortError of an already-aborted signal without fetching', async () => {
    const { fetch } = stubFetch(ok())
    const controller = new AbortController()
    controller.abort()
    const err = await client({ fetch })
      .queryTasks(Q, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DOMException)
    expect((err as DOMException).name).toBe('AbortError')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('aborts an in-flight request with the signal reason', async () => {
    const controller = new AbortController()
    const fetch = vi.fn(() => {
      setTimeout(() => controller.abort(), 5)
      return new Promise<Response>(() => {})
    })
    const err = await client({ fetch })
      .queryTasks(Q, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(err).toBe(controller.signal.reason)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('aborts promptly during the backoff sleep, with the real timer sleep', async () => {
    const controller = new AbortController()
    const { fetch } = stubFetch(new Response('x', { status: 503, headers: { 'Retry-After': '30' } }))
    const started = Date.now()
    setTimeout(() => controller.abort(), 20)
    const err = await client({ fetch })
      .queryTasks(Q, { signal: controller.signal })
      .catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('aborts mid-iteration: AbortError and no further fetches', async () => {
    const controller = new AbortController()
    const { fetch } = stubFetch((req) =>
      req
        .json()
        .then((b: { current: number }) =>
          ok(page([record(b.current)], { current: b.current, pages: 10, total: 10, size: 1 })),
        ),
    )
    const seen: number[] = []
    const err = await (async () => {
      for await (const task of client({ fetch }).iterateTasks(
        { size: 1, params: {} },
        { signal: controller.signal },
      )) {
        seen.push(task.taskId)
        if (seen.length === 3) controller.abort()
      }
    })().catch((e: unknown) => e)
    expect((err as Error).name).toBe('AbortError')
    expect(seen).toEqual([1, 2, 3])
    expect(fetch).toHaveBeenCalledTimes(3)
  })
})

describe('clock skew', () => {
  it('on -16 with a Date header moves the offset once and retries with a corrected Timestamp', async () => {
    const local = 1_700_000_000_000
    const server = local + 3_600_000
    const { fetch, requests } = stubFetch(
      fail(-16, 'timestamp expires', { Date: new Date(server).toUTCString() }),
      ok(),
    )
    const c = client({ fetch, now: () => local, maxRetries: 0 })
    await c.queryTasks(Q)
    expect(requests.map((r) => r.headers.get('Timestamp'))).toEqual([
      String(local / 1000),
      String(server / 1000),
    ])
    expect(c.clockOffsetMs).toBe(3_600_000)
    // The offset sticks for later calls on the same client.
    await c.queryTasks(Q)
    expect(requests[2]!.headers.get('Timestamp')).toBe(String(server / 1000))
  })

  it('retries at most once per call', async () => {
    const local = 1_700_000_000_000
    let shift = 0
    const { fetch } = stubFetch(() => {
      shift += 3_600_000
      return fail(-16, 'timestamp expires', { Date: new Date(local + shift).toUTCString() })
    })
    await expect(client({ fetch, now: () => local }).queryTasks(Q)).rejects.toBeInstanceOf(
      TimestampExpiredError,
    )
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('treats a Date up to 1.9 s behind (truncation plus a round trip) as agreeing', async () => {
    const local = 1_700_000_001_900
    const { fetch } = stubFetch(
      fail(-16, 'timestamp expires', { Date: new Date(local - 1_900).toUTCString() }),
    )
    await expect(client({ fetch, now: () => local, maxRetries: 0 }).queryTasks(Q)).rejects.toBeInstanceOf(
      TimestampExpiredError,
    )
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('does not retry when the server clock agrees with ours, nor without Date, nor when disabled', async () => {
    const local = 1_700_000_000_000
    for (const [headers, options] of [
      [{ Date: new Date(local).toUTCString() }, {}],
      [{}, {}],
      [{ Date: new Date(local + 3_600_000).toUTCString() }, { correctClockSkew: false }],
    ] as const) {
      const { fetch } = stubFetch(fail(-16, 'timestamp expires', headers))
      await expect(client({ fetch, now: () => local, ...options }).queryTasks(Q)).rejects.toBeInstanceOf(
        TimestampExpiredError,
      )
      expect(fetch).toHaveBeenCalledTimes(1)
    }
  })
})

describe('construction', () => {
  it.each([
    [{ apiKey: '' }, /apiKey/],
    [{ apiSecret: '' }, /apiSecret/],
    [{ baseUrl: 'not a url' }, /baseUrl/],
    [{ baseUrl: 'ftp://x' }, /baseUrl/],
    [{ timeoutMs: -1 }, /timeoutMs/],
    [{ timeoutMs: Number.NaN }, /timeoutMs/],
    [{ maxRetries: 1.5 }, /maxRetries/],
    [{ maxRetries: -1 }, /maxRetries/],
  ])('rejects %j', (bad, message) => {
    expect(() => createLaafficClient({ apiKey: KEY, apiSecret: SECRET, ...bad })).toThrow(message)
    expect(() => createLaafficClient({ apiKey: KEY, apiSecret: SECRET, ...bad })).toThrow(TypeError)
  })

  // Each of these used to be accepted and then fail every call, or talk to the wrong host.
  it.each([
    ['an apiKey with a newline', { apiKey: 'bDqJ\nFiq9' }, /apiKey must be a string of visible ASCII/],
    ['a non-Latin-1 apiKey', { apiKey: '密钥' }, /apiKey must be a string of visible ASCII/],
    ['an apiKey with a space', { apiKey: 'bDqJ Fiq9' }, /apiKey/],
    ['a numeric apiKey', { apiKey: 123 }, /apiKey must be a string/],
    ['a numeric apiSecret', { apiSecret: 123 }, /apiSecret must be a non-empty string/],
    ['a baseUrl with user info', { baseUrl: 'http://u:p@127.0.0.1:1' }, /baseUrl .*credentials/],
    ['a baseUrl with a query', { baseUrl: 'http://127.0.0.1:1/?x=1' }, /baseUrl .*query/],
    ['a baseUrl with a fragment', { baseUrl: 'http://127.0.0.1:1#frag' }, /baseUrl .*fragment/],
    ['a baseUrl with an empty query', { baseUrl: 'http://127.0.0.1:1?' }, /baseUrl/],
    ['a timeout setTimeout cannot hold', { timeoutMs: 2 ** 40 }, /timeoutMs must be in \(0, 2147483647\]/],
    ['a timeout of 2^31', { timeoutMs: 2 ** 31 }, /timeoutMs/],
    ['a string timeout', { timeoutMs: '100' }, /timeoutMs/],
    ['a billion retries', { maxRetries: 1e9 }, /maxRetries must be an integer in \[0, 10\]/],
    ['11 retries', { maxRetries: 11 }, /maxRetries/],
    [
      'axios-style baseURL',
      { baseURL: 'http://127.0.0.1:1' },
      /unknown option "baseURL"; did you mean baseUrl\?/,
    ],
    ['an unknown option', { timeout: 5 }, /unknown option "timeout"$/],
    ['an invalid default header name', { headers: { 'Bad Header': 'x' } }, /Bad Header/],
  ])('rejects %s with a clear TypeError', (_what, bad, message) => {
    const make = () => createLaafficClient({ apiKey: KEY, apiSecret: SECRET, ...(bad as object) })
    expect(make).toThrow(TypeError)
    expect(make).toThrow(message)
  })

  it('does not echo a baseUrl password', () => {
    expect(() => client({ baseUrl: 'http://user:hunter2@127.0.0.1:1' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    )
  })

  it.each([undefined, null, 'key'])(
    'rejects options %j with a TypeError, not a destructuring error',
    (bad) => {
      expect(() => createLaafficClient(bad as never)).toThrow(/^laaffic: options must be an object$/)
    },
  )

  it('accepts the limits and a path prefix', async () => {
    const { fetch, requests } = stubFetch(ok())
    const c = client({
      fetch,
      timeoutMs: 2 ** 31 - 1,
      maxRetries: 10,
      baseUrl: 'https://example.com/prefix/',
    })
    await c.queryTasks(Q, { timeoutMs: 2 ** 31 - 1, maxRetries: 0 })
    expect(requests[0]!.url).toBe('https://example.com/prefix/v3/cc/preview/query')
  })
})

describe('per-call checks', () => {
  it.each([
    [{ timeoutMs: 2 ** 40 }, /timeoutMs/],
    [{ maxRetries: 1e9 }, /maxRetries/],
    [{ timeout: 10 }, /unknown option "timeout"/],
    [{ maxretries: 1 }, /did you mean maxRetries\?/],
  ])('rejects %j before any request', async (bad, message) => {
    const { fetch } = stubFetch(ok())
    await expect(client({ fetch }).queryTasks(Q, bad as never)).rejects.toThrow(message)
    await expect(client({ fetch }).queryTasks(Q, bad as never)).rejects.toBeInstanceOf(TypeError)
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each([null, undefined, 'page 1'])('rejects body %j with a clear TypeError', async (bad) => {
    const { fetch } = stubFetch(ok())
    const c = client({ fetch })
    await expect(c.queryTasks(bad as never)).rejects.toThrow(
      /^laaffic: body must be an object with current, size and params$/,
    )
    expect(() => c.iterateTasks(bad as never)).toThrow(TypeError)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('a per-call header the platform refuses: one clear TypeError, no fetch, no retry', async () => {
    const { fetch } = stubFetch(ok())
    const { sleep } = recordingSleep()
    const err = await client({ fetch, sleep })
      .queryTasks(Q, { headers: { 'Bad Header': 'x' } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(err).not.toBeInstanceOf(LaafficError)
    expect((err as Error).message).toMatch(/^laaffic: cannot build the request: .*Bad Header/)
    expect(fetch).not.toHaveBeenCalled()
    expect(sleep).not.toHaveBeenCalled()
  })

  it('a throwing middleware on raw is a build error too, and its message is scrubbed', async () => {
    const { fetch } = stubFetch(ok())
    const { sleep } = recordingSleep()
    const c = client({ fetch, sleep })
    c.raw.use({
      onRequest() {
        throw new Error(`cannot use ${SECRET}`)
      },
    })
    const err = await c.queryTasks(Q).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect((err as Error).message).toBe('laaffic: cannot build the request: cannot use [redacted]')
    expect(sleep).not.toHaveBeenCalled()
  })
})

describe('connection errors', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' })
  it.each([
    ['undici (cause.cause.code)', () => new TypeError('fetch failed', { cause: refused() }), 'ECONNREFUSED'],
    ['cause.code', () => refused(), 'ECONNREFUSED'],
    ['no code anywhere', () => new TypeError('Failed to fetch'), undefined],
  ])('%s: the message names the code (else the cause) and the host', async (_what, make, code) => {
    const { fetch } = stubFetch(make())
    const err = (await client({ fetch, sleep: async () => {}, baseUrl: 'http://127.0.0.1:45999' })
      .queryTasks(Q)
      .catch((e: unknown) => e)) as LaafficConnectionError
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect(err.code).toBe(code)
    expect(err.message).toBe(`Connection error: ${code ?? 'Failed to fetch'} (127.0.0.1:45999)`)
    expect(fetch).toHaveBeenCalledTimes(3)
  })
})

describe('retryable', () => {
  it('follows the protocol table for every code', () => {
    for (const { code, retryable } of STATUS_CODES) {
      expect(LaafficApiError.from({ code, reason: '', httpStatus: 200 }).retryable).toBe(retryable)
    }
  })
})

describe('default sleep (fake timers)', () => {
  it('waits the backoff on the real timer path, and clears it when aborted', async () => {
    vi.useFakeTimers()
    try {
      const { fetch } = stubFetch(new Response('x', { status: 503 }), ok())
      const done = client({ fetch }).queryTasks(Q)
      await vi.advanceTimersByTimeAsync(0)
      expect(fetch).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(499)
      expect(fetch).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(fetch).toHaveBeenCalledTimes(2)
      await expect(done).resolves.toBeDefined()

      const controller = new AbortController()
      const { fetch: f2 } = stubFetch(new Response('x', { status: 503 }))
      const aborted = client({ fetch: f2 })
        .queryTasks(Q, { signal: controller.signal })
        .catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(100)
      controller.abort()
      expect(((await aborted) as Error).name).toBe('AbortError')
      expect(vi.getTimerCount()).toBe(0) // no backoff or attempt timer left behind
    } finally {
      vi.useRealTimers()
    }
  })
})
