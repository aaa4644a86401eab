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

  const post = (headers: [string, string][], body: string) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(ENDPOINT_PATH, mock.url)
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
})
