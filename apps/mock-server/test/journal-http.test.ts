import { request } from 'node:http'
import { ENDPOINT_PATH } from '@laaffic-kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../src/log.js'
import { type RunningMock, serveMock } from '../src/serve.js'
import { NOW, SECRET, signed } from './helpers.js'

// Over a socket the journal keeps Node's raw header pairs (not the request's Headers, which
// would pin the IncomingMessage); what /__admin/requests shows must not change with that.
describe('journal over HTTP', () => {
  let mock: RunningMock
  beforeAll(async () => {
    mock = await serveMock({ port: 0, host: '127.0.0.1', tasks: 10, now: NOW, logger: silentLogger })
  })
  afterAll(async () => {
    await mock?.close()
  })

  const post = (headers: [string, string][], body: string, path = ENDPOINT_PATH) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(path, mock.url)
      // A flat array keeps the repeats; Node then adds neither Host nor Content-Length itself.
      const flat = [
        ...headers,
        ['Host', url.host],
        ['Content-Length', String(Buffer.byteLength(body))],
      ].flat()
      const req = request(url, { method: 'POST', headers: flat }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.end(body)
    })

  it('shows lowercase names, redacted Sign, repeated headers joined', async () => {
    const sign = signed()['Sign']!
    const headers: [string, string][] = [...Object.entries(signed()), ['X-Trace', 'a'], ['x-trace', 'b']]
    expect(await post(headers, JSON.stringify({ current: 1, size: 5, params: {} }))).toBe(200)
    const res = await fetch(new URL('/__admin/requests', mock.url))
    const text = await res.text()
    expect(text).not.toContain(sign)
    expect(text).not.toContain(SECRET)
    const { requests } = JSON.parse(text) as {
      requests: { headers: Record<string, string>; status: number; body: unknown }[]
    }
    const entry = requests.at(-1)!
    expect(entry.status).toBe(0)
    expect(entry.body).toEqual({ current: 1, size: 5, params: {} })
    expect(entry.headers.sign).toBe('[redacted]')
    expect(entry.headers['api-key']).toBe(signed()['Api-Key'])
    expect(entry.headers['x-trace']).toBe('a, b')
    expect(Object.keys(entry.headers).every((k) => k === k.toLowerCase())).toBe(true)
  })

  const journal = async () => {
    const text = await (await fetch(new URL('/__admin/requests', mock.url))).text()
    return {
      text,
      requests: (
        JSON.parse(text) as { requests: { path: string; headers: Record<string, string>; body: unknown }[] }
      ).requests,
    }
  }

  it('keeps a path with an encoded newline whole, and the Sign out', async () => {
    // Hono decodes %0A into a real newline: it must not shift the journal's header pairs.
    const sign = signed()['Sign']!
    await post(Object.entries(signed()), '{"current":1,"size":5,"params":{}}', '/v3/cc%0Apreview/query')
    await post(Object.entries(signed()), '{}', '/x%0Ay%0Az')
    const { text, requests } = await journal()
    expect(text).not.toContain(sign)
    expect(requests.at(-2)?.path).toBe('/v3/cc\npreview/query')
    expect(requests.at(-1)?.path).toBe('/x\ny\nz')
    for (const r of requests.slice(-2)) {
      expect(r.headers.sign).toBe('[redacted]')
      expect(r.headers['api-key']).toBe(signed()['Api-Key'])
    }
  })

  it('shows headers named like Object members as plain headers', async () => {
    const headers: [string, string][] = [
      ...Object.entries(signed()),
      ['Constructor', 'x'],
      ['__proto__', 'y'],
    ]
    await post(headers, '{"current":1,"size":5,"params":{}}')
    const { requests } = await journal()
    const entry = requests.at(-1)!
    expect(entry.headers.constructor).toBe('x')
    expect(Object.getOwnPropertyDescriptor(entry.headers, '__proto__')?.value).toBe('y')
  })
})
