import { ENDPOINT_PATH, STATUS_CODES } from '@laaffic-kit/protocol'
import { createSpecValidator, loadAdminSpec } from '@laaffic-kit/spec'
import { describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { MockConnectionReset } from '../src/faults.js'
import { createLogger, silentLogger } from '../src/log.js'
import { NOW, page, query, SECRET, signed, validator } from './helpers.js'

const BODY = { current: 1, size: 5, params: {} }
const fresh = () => createMockApp({ tasks: 50, now: NOW, logger: silentLogger })
const post = (app: ReturnType<typeof fresh>, headers: Record<string, string>, body: unknown = BODY) =>
  app.request(ENDPOINT_PATH, { method: 'POST', headers, body: JSON.stringify(body) })

describe('X-Mock-Status', () => {
  it.each(STATUS_CODES.map((s) => [s.code, s.reason] as const))(
    'forces %i with the vendor reason',
    async (code, reason) => {
      const res = await query(fresh(), BODY, signed(NOW, { 'X-Mock-Status': String(code) }))
      expect(res.status).toBe(code)
      if (code === 0) expect(page(res).records.length).toBe(5)
      else {
        expect(res.reason).toBe(reason)
        expect(res.data).toBeUndefined()
      }
    },
  )

  it('forces a status even without credentials', async () => {
    expect(
      (await query(fresh(), BODY, { 'Content-Type': 'application/json', 'X-Mock-Status': '-23' })).status,
    ).toBe(-23)
    expect(
      (await query(fresh(), BODY, { 'Content-Type': 'application/json', 'X-Mock-Status': '0' })).status,
    ).toBe(0)
  })

  it('allows undocumented codes for unknown-code tests', async () => {
    const res = await query(fresh(), BODY, signed(NOW, { 'X-Mock-Status': '-15' }))
    expect(res.status).toBe(-15)
    expect(res.reason).toContain('Unknown status -15')
  })

  it.each(['abc', '', '1.5', '-1000', 'ok'])('bad value %j → -22 naming the header', async (value) => {
    const res = await query(fresh(), BODY, signed(NOW, { 'X-Mock-Status': value }))
    expect(res.status).toBe(-22)
    expect(res.reason).toContain('X-Mock-Status')
  })
})

describe('X-Mock-Fault', () => {
  it.each([500, 502, 503, 429])('http-%i answers that HTTP status', async (code) => {
    const res = await post(fresh(), signed(NOW, { 'X-Mock-Fault': `http-${code}` }))
    expect(res.status).toBe(code)
    if (code === 429) expect(res.headers.get('Retry-After')).toBe('1')
    expect(validator.errors('QueryResponse', await res.json())).toEqual([])
  })

  it('malformed answers HTTP 200 with a truncated JSON body', async () => {
    const res = await post(fresh(), signed(NOW, { 'X-Mock-Fault': 'malformed' }))
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.startsWith('{"status":0')).toBe(true)
    expect(() => JSON.parse(text)).toThrow()
  })

  it('reset rejects app.request with MockConnectionReset (no socket to drop in-process)', async () => {
    await expect(post(fresh(), signed(NOW, { 'X-Mock-Fault': 'reset' }))).rejects.toBeInstanceOf(
      MockConnectionReset,
    )
  })

  it('delay=<ms> still answers normally, and composes with a forced status', async () => {
    expect((await query(fresh(), BODY, signed(NOW, { 'X-Mock-Fault': 'delay=5' }))).status).toBe(0)
    expect(
      (await query(fresh(), BODY, signed(NOW, { 'X-Mock-Fault': 'delay=1', 'X-Mock-Status': '-18' }))).status,
    ).toBe(-18)
  })

  it.each(['http-404', 'boom', 'delay=', 'delay=-1', 'delay=999999'])(
    'bad value %j → -22 naming the header',
    async (value) => {
      const res = await query(fresh(), BODY, signed(NOW, { 'X-Mock-Fault': value }))
      expect(res.status).toBe(-22)
      expect(res.reason).toContain('X-Mock-Fault')
    },
  )
})

describe('/__admin', () => {
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

  it('queues scenarios that answer `times` matching requests, then run out', async () => {
    const app = fresh()
    const created = await app.request('/__admin/scenarios', json({ status: -18, times: 2 }))
    expect(created.status).toBe(201)
    expect((await query(app, BODY)).status).toBe(-18)
    expect((await query(app, BODY)).status).toBe(-18)
    expect((await query(app, BODY)).status).toBe(0)
  })

  it('matches on body fields and apiKey', async () => {
    const app = fresh()
    await app.request(
      '/__admin/scenarios',
      json({ status: -23, match: { current: 2, params: { taskType: 1 } } }),
    )
    await app.request('/__admin/scenarios', json({ fault: 'http-503', match: { apiKey: 'other' } }))
    expect((await query(app, BODY)).status).toBe(0)
    expect((await query(app, { ...BODY, current: 2, params: { taskType: 0 } })).status).toBe(0)
    expect((await query(app, { ...BODY, current: 2, params: { taskType: 1 } })).status).toBe(-23)
    expect((await post(app, signed(NOW, { 'Api-Key': 'other' }))).status).toBe(503)
    const left = (await (await app.request('/__admin/scenarios')).json()) as { scenarios: unknown[] }
    expect(left.scenarios).toEqual([])
  })

  it.each([
    [{}, 'exactly one of status or fault'],
    [{ status: -1, fault: 'reset' }, 'exactly one of status or fault'],
    [{ status: 'x' }, 'status must be'],
    [{ fault: 'nope' }, 'fault must be one of'],
    [{ status: -1, times: 0 }, 'times must be'],
    [{ status: -1, match: { path: '/' } }, 'match.path is not supported'],
    [[], 'body must be a JSON object'],
  ])('rejects %j with 400', async (body, message) => {
    const res = await fresh().request('/__admin/scenarios', json(body))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain(message)
  })

  it('journals requests with Sign redacted and bounded size', async () => {
    const app = createMockApp({ tasks: 10, now: NOW, logger: silentLogger, journalSize: 3 })
    for (let i = 0; i < 5; i++) await query(app, { ...BODY, current: i + 1 })
    const res = (await (await app.request('/__admin/requests')).json()) as {
      total: number
      requests: { headers: Record<string, string>; body: { current: number }; status: number }[]
    }
    expect(res.total).toBe(5)
    expect(res.requests.map((r) => r.body.current)).toEqual([3, 4, 5])
    const text = JSON.stringify(res)
    expect(text).not.toContain(signed().Sign)
    expect(text).not.toContain(SECRET)
    expect(res.requests[0]?.headers.sign).toBe('[redacted]')
    expect(res.requests[0]?.status).toBe(0)
    expect((await app.request('/__admin/requests', { method: 'DELETE' })).status).toBe(204)
    expect(
      ((await (await app.request('/__admin/requests')).json()) as { requests: unknown[] }).requests,
    ).toEqual([])
  })

  it('takes ?limit= as plain digits only', async () => {
    const app = fresh()
    for (let i = 1; i <= 3; i++) await query(app, { ...BODY, current: i })
    const list = async (q: string) => app.request(`/__admin/requests${q}`)
    const ids = async (q: string) =>
      ((await (await list(q)).json()) as { requests: { body: { current: number } }[] }).requests.map(
        (r) => r.body.current,
      )
    expect(await ids('?limit=2')).toEqual([2, 3])
    expect(await ids('?limit=0')).toEqual([])
    expect(await ids('?limit=99')).toEqual([1, 2, 3])
    for (const bad of ['', '0x10', '1e3', '%205', '-1', 'abc', '1.5']) {
      const res = await list(`?limit=${bad}`)
      expect(res.status, bad).toBe(400)
    }
  })

  it('moves the clock and resets it', async () => {
    const app = fresh()
    const put = (body: unknown) =>
      app.request('/__admin/clock', { method: 'PUT', body: JSON.stringify(body) })
    expect((await put({ shift: 1000 })).status).toBe(200)
    expect((await query(app, BODY)).status).toBe(-16)
    await put({ now: NOW + 1000, shift: 0 })
    expect((await query(app, BODY, signed(NOW + 1000))).status).toBe(0)
    expect((await put({ now: 'later' })).status).toBe(400)
    expect((await put({ when: 1 })).status).toBe(400)
    await app.request('/__admin/reset', { method: 'POST' })
    expect((await query(app, BODY)).status).toBe(0)
  })

  it('shows the config with the secret masked', async () => {
    const res = (await (await fresh().request('/__admin/config')).json()) as Record<string, unknown>
    expect(res.apiKey).toBe('bDqJFiq9')
    expect(res.apiSecret).not.toBe(SECRET)
    expect(JSON.stringify(res)).not.toContain(SECRET)
  })
})

describe('other routes never answer with a stack trace', () => {
  it.each([
    ['GET', '/nope', 404],
    ['GET', ENDPOINT_PATH, 405],
    ['PUT', ENDPOINT_PATH, 405],
    ['DELETE', '/v3/cc/preview', 404],
  ])('%s %s → %i JSON', async (method, path, status) => {
    const res = await fresh().request(path, { method })
    expect(res.status).toBe(status)
    const body = (await res.json()) as { error: string }
    expect(body.error).toBeTypeOf('string')
  })

  it('serves /healthz and /openapi.yaml', async () => {
    const app = fresh()
    expect(((await (await app.request('/healthz')).json()) as { ok: boolean }).ok).toBe(true)
    const spec = await app.request('/openapi.yaml')
    expect(spec.headers.get('Content-Type')).toContain('yaml')
    expect(await spec.text()).toContain('/v3/cc/preview/query')
  })

  it('turns an unexpected error into an in-band -18 envelope, and logs no secret', async () => {
    const lines: string[] = []
    for (const logFormat of ['pretty', 'json'] as const) {
      const app = createMockApp({
        tasks: 5,
        now: NOW,
        logger: createLogger({ logFormat, logLevel: 'debug' }, (l) => lines.push(l)),
      })
      app.get('/boom', () => {
        throw new Error(`secret ${SECRET}`)
      })
      const res = await app.request('/boom')
      const body = await res.json()
      expect(body).toEqual({ status: -18, reason: 'System exception' })
      expect(validator.errors('QueryResponse', body)).toEqual([])
    }
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).not.toContain(SECRET)
  })
})

describe('response headers a client relies on', () => {
  it("stamps Date from the mock's own clock, frozen, shifted or real", async () => {
    const app = fresh()
    const res = await post(app, signed())
    expect(res.headers.get('date')).toBe(new Date(NOW * 1000).toUTCString())
    await app.request('/__admin/clock', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ shift: 600 }),
    })
    const shifted = await post(app, signed(NOW + 600))
    expect(shifted.headers.get('date')).toBe(new Date((NOW + 600) * 1000).toUTCString())
  })

  it('stamps Date and X-Request-Id on answers made outside the query path too', async () => {
    const app = fresh()
    const responses = [
      await post(app, signed(NOW, { 'X-Mock-Fault': 'http-503' })),
      await post(app, signed(NOW, { 'X-Mock-Fault': 'malformed' })),
      await post(app, signed(NOW, { 'X-Mock-Fault': 'delay=1' })),
      await post(app, signed(NOW, { 'X-Mock-Status': '-18' })),
      await app.request('/nowhere'),
      await app.request(ENDPOINT_PATH, { method: 'GET' }),
      await app.request('/healthz'),
    ]
    const ids = new Set<string | null>()
    for (const res of responses) {
      expect(res.headers.get('date')).toBe(new Date(NOW * 1000).toUTCString())
      ids.add(res.headers.get('x-request-id'))
    }
    expect([...ids].every((id) => /^mock-\d+$/.test(id ?? ''))).toBe(true)
    expect(ids.size).toBe(responses.length)
  })

  it('sends an X-Request-Id that finds the request in the journal', async () => {
    const app = fresh()
    const first = (await post(app, signed())).headers.get('x-request-id')
    const second = (await post(app, signed(), { current: 0 })).headers.get('x-request-id')
    expect(first).toMatch(/^mock-\d+$/)
    expect(second).not.toBe(first)
    const journal = (await (await app.request('/__admin/requests')).json()) as {
      requests: Array<{ requestId: string; status: number }>
    }
    expect(journal.requests.map((r) => [r.requestId, r.status])).toEqual([
      [first, 0],
      [second, -22],
    ])
  })
})

describe('the admin API answers as spec/mock-admin.openapi.yaml describes', () => {
  const admin = createSpecValidator(loadAdminSpec())
  const send = (app: ReturnType<typeof fresh>, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })

  it('scenarios, journal, clock and config fit their schemas', async () => {
    const app = fresh()
    const created = await send(app, 'POST', '/__admin/scenarios', {
      fault: 'http-503',
      times: 2,
      match: { current: 1 },
    })
    expect(admin.errors('Scenario', await created.json())).toEqual([])
    await post(app, signed())
    await post(app, signed(), { current: 0 })
    const journal = (await (await send(app, 'GET', '/__admin/requests')).json()) as { requests: unknown[] }
    expect(journal.requests).toHaveLength(2)
    for (const entry of journal.requests) expect(admin.errors('JournalEntry', entry)).toEqual([])
    expect(
      admin.errors('Clock', await (await send(app, 'PUT', '/__admin/clock', { shift: 5 })).json()),
    ).toEqual([])
    const config = await (await send(app, 'GET', '/__admin/config')).json()
    expect(JSON.stringify(config)).not.toContain(SECRET)
  })

  it('rejects nonsense with a 400 that says why', async () => {
    const app = fresh()
    const res = await send(app, 'POST', '/__admin/scenarios', { fault: 'explode', times: -1 })
    expect(res.status).toBe(400)
    expect(admin.errors('Error', await res.json())).toEqual([])
  })
})

describe('what a client sends is echoed safely', () => {
  it('redacts the secret and Sign-shaped text from reasons, and cuts long field names', async () => {
    const app = fresh()
    const sign = signed()['Sign']!
    for (const key of [SECRET, sign, `x${SECRET}y`]) {
      const body = await query(app, { current: 1, size: 5, params: { [key]: 1 } })
      expect(body.status).toBe(-22)
      expect(body.reason).toContain('[redacted]')
      expect(body.reason).not.toContain(SECRET)
      expect(body.reason).not.toContain(sign)
    }
    const long = await query(app, { current: 1, size: 5, params: { ['k'.repeat(5000)]: 1 } })
    expect(long.reason.length).toBeLessThan(120)
  })

  it('keeps one request on one pretty log line, whatever the path holds', async () => {
    const lines: string[] = []
    const app = createMockApp({
      tasks: 5,
      now: NOW,
      logger: createLogger({ logFormat: 'pretty', logLevel: 'info' }, (l) => lines.push(l)),
    })
    await app.request('/x%0aPOST%20/v3/cc/preview/query%20200%20status=0%0a%1b%5b31mRED')
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toContain('\n')
    expect(lines[0]).not.toContain(String.fromCharCode(0x1b))
    expect(lines[0]).toContain('\\x0a')
  })
})

describe('admin routes with the wrong method', () => {
  it.each([
    ['PUT', '/__admin/scenarios', 'GET, POST, DELETE'],
    ['POST', '/__admin/config', 'GET'],
    ['GET', '/__admin/reset', 'POST'],
  ])('%s %s → 405 with Allow', async (method, path, allow) => {
    const res = await fresh().request(path, { method })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe(allow)
    expect(((await res.json()) as { error: string }).error).toContain(allow)
  })
})

describe('the journal keeps no secret a client put in a body', () => {
  const journalText = async (app: ReturnType<typeof fresh>) => (await app.request('/__admin/requests')).text()
  const raw = (app: ReturnType<typeof fresh>, body: string, headers = signed(), path = ENDPOINT_PATH) =>
    app.request(path, { method: 'POST', headers, body })

  it('redacts a secret or Sign that a JSON escape hides from the text', async () => {
    const app = fresh()
    const sign = signed()['Sign']!
    const esc = (s: string, i: number) =>
      `${s.slice(0, i)}\\u00${s.charCodeAt(i).toString(16)}${s.slice(i + 1)}`
    await raw(app, `{"current":1,"size":2,"x":"${esc(SECRET, SECRET.length - 1)}"}`)
    await raw(app, `{"current":1,"size":2,"${esc(SECRET, 2)}":1}`)
    await raw(app, `{"current":1,"size":2,"s":"${esc(sign, 16)}"}`)
    const text = await journalText(app)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(sign)
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(3 + 3) // + the three Sign headers
  })

  it('redacts before cutting a long body, so no part of a straddling secret survives', async () => {
    const app = fresh()
    await raw(app, `${'q'.repeat(4093)}${SECRET}zzzz`)
    await raw(app, `${'g'.repeat(4076)}${signed()['Sign']}zzzz`)
    const { requests } = JSON.parse(await journalText(app)) as { requests: { body: string }[] }
    expect(requests[0]?.body).toMatch(/^q{4093}\[re…\[4105 chars\]$/)
    expect(requests[1]?.body).toMatch(/^g{4076}\[redacted\]zzzz…\[4112 chars\]$/)
  })

  it('redacts the secret and Signs in any header and in paths, in the journal, the 404 and the log', async () => {
    const lines: string[] = []
    const app = createMockApp({
      tasks: 5,
      now: NOW,
      logger: createLogger({ logFormat: 'json', logLevel: 'info' }, (l) => lines.push(l)),
    })
    const sign = signed()['Sign']!
    await raw(
      app,
      '{"current":1,"size":2}',
      signed(NOW, { 'X-Api-Secret': SECRET, 'X-Sign': sign, [SECRET]: 'x' }),
    )
    const notFound = await app.request(`/x/${SECRET}/${sign}`, { method: 'POST' })
    expect(notFound.status).toBe(404)
    const message = await notFound.text()
    const text = await journalText(app)
    for (const shown of [message, text, ...lines]) {
      expect(shown).not.toContain(SECRET)
      expect(shown).not.toContain(sign)
    }
    const { requests } = JSON.parse(text) as { requests: { path: string; headers: Record<string, string> }[] }
    expect(requests[0]?.headers['x-api-secret']).toBe('[redacted]')
    expect(requests[0]?.headers['x-sign']).toBe('[redacted]')
    expect(requests[0]?.headers['[redacted]']).toBe('x')
    expect(requests[1]?.path).toBe('/x/[redacted]/[redacted]')
    expect(lines.some((l) => l.includes('/x/[redacted]/[redacted]'))).toBe(true)
  })

  it('redacts the secret and Sign-shaped text from journaled bodies', async () => {
    const app = fresh()
    const sign = signed()['Sign']!
    await post(app, signed(), { current: 1, size: 5, params: { [sign]: 1, note: `x${SECRET}y` } })
    const text = await (await app.request('/__admin/requests')).text()
    expect(text).toContain('[redacted]')
    expect(text).not.toContain(sign)
    expect(text).not.toContain(SECRET)
  })

  it('cuts an oversized body once, with its real length, and still redacts it', async () => {
    const app = fresh()
    const note = `${SECRET}${'n'.repeat(5000)}`
    const sent = JSON.stringify({ current: 1, size: 5, params: { note } })
    await app.request(ENDPOINT_PATH, { method: 'POST', headers: signed(), body: sent })
    await app.request(ENDPOINT_PATH, { method: 'POST', headers: signed(), body: sent })
    const { requests } = (await (await app.request('/__admin/requests')).json()) as {
      requests: { body: unknown }[]
    }
    expect(requests).toHaveLength(2)
    for (const { body } of requests) {
      expect(typeof body).toBe('string')
      expect(body as string).toMatch(new RegExp(`…\\[${sent.length} chars\\]$`))
      expect((body as string).match(/chars\]/g)).toHaveLength(1)
      expect(body as string).not.toContain(SECRET)
    }
  })
})
