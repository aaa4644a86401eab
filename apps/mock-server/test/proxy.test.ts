import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeSign } from '@laaffic-kit/protocol'
import type { SpawnedServer } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HarEntry } from '../src/proxy/har.js'
import type { ProxyOptions } from '../src/proxy/options.js'
import type { ProxyReport } from '../src/proxy/report.js'
import { MAX_REQUEST_BYTES, type RunningProxy, startProxy } from '../src/proxy/server.js'
import { callerHeaders, ensureBuilt, KEY, SECRET, spawnUpstream, UP_KEY, UP_SECRET } from './proxy-helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-proxy-'))
let upstream: SpawnedServer
const proxies: RunningProxy[] = []
const servers: Server[] = []
/** Every Timestamp a request was signed with, so the recording can be searched for each Sign. */
const signsSent = new Set<string>()
const timestamps = new Set<number>()

beforeAll(async () => {
  ensureBuilt()
  upstream = await spawnUpstream()
}, 120_000)

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()))
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await upstream?.stop()
})

function options(over: Partial<ProxyOptions> = {}): ProxyOptions {
  return {
    upstream: upstream.url,
    record: undefined,
    port: 0,
    host: '127.0.0.1',
    apiKey: KEY,
    apiSecret: SECRET,
    timestampWindow: 300,
    timeoutMs: 30_000,
    upstreamApiKey: UP_KEY,
    upstreamApiSecret: UP_SECRET,
    ...over,
  }
}

async function proxy(over: Partial<ProxyOptions> = {}): Promise<RunningProxy> {
  const p = await startProxy(options(over))
  proxies.push(p)
  return p
}

/** A plain node:http server on 127.0.0.1 playing a misbehaving upstream. */
async function fakeUpstream(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function post(base: string, path: string, body: unknown, signer: [string, string] = [KEY, SECRET]) {
  const ts = Math.floor(Date.now() / 1000)
  timestamps.add(ts)
  const { sign, headers } = callerHeaders(signer[0], signer[1], ts)
  signsSent.add(sign)
  const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  return { res, text: await res.text() }
}

const upstreamTotal = async (): Promise<number> =>
  ((await (await fetch(`${upstream.url}/__admin/requests?limit=0`)).json()) as { total: number }).total

const SEAT_QUERY = {
  current: 1,
  size: 50,
  params: { strTime: '2025-01-01 00:00:00', endTime: '2025-01-20 00:00:00' },
}

describe('proxy: re-signing', () => {
  it('answers what the upstream answers to the same request, re-signed with the upstream account', async () => {
    const p = await proxy()
    const via = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(via.res.status).toBe(200)
    const direct = await post(upstream.url, '/v3/cc/seat/query', SEAT_QUERY, [UP_KEY, UP_SECRET])
    expect(JSON.parse(direct.text).status).toBe(0)
    // The upstream refuses the caller's own account, so a 0 here means the proxy re-signed.
    expect(JSON.parse(via.text)).toEqual(JSON.parse(direct.text))
    const refused = await post(upstream.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(JSON.parse(refused.text).status).toBe(-1)
  })

  it('answers a bad Sign -1 itself and never forwards it', async () => {
    const p = await proxy()
    const before = await upstreamTotal()
    const ts = String(Math.floor(Date.now() / 1000))
    const res = await fetch(`${p.url}/v3/cc/seat/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Api-Key': KEY, Timestamp: ts, Sign: 'f'.repeat(32) },
      body: JSON.stringify(SEAT_QUERY),
    })
    expect(await res.json()).toMatchObject({ status: -1 })
    // Signed with the upstream's credentials is not good enough either: callers use the proxy's.
    const withUpstream = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY, [UP_KEY, UP_SECRET])
    expect(JSON.parse(withUpstream.text).status).toBe(-1)
    const stale = Math.floor(Date.now() / 1000) - 3600
    const old = await fetch(`${p.url}/v3/cc/seat/query`, {
      method: 'POST',
      headers: callerHeaders(KEY, SECRET, stale).headers,
      body: JSON.stringify(SEAT_QUERY),
    })
    expect(await old.json()).toMatchObject({ status: -16 })
    expect(await upstreamTotal()).toBe(before)
    expect(p.report().querySeats).toMatchObject({ requests: 3, rejectedLocally: 3, forwarded: 0 })
  })

  it('refuses a body over MAX_REQUEST_BYTES by its Content-Length, before reading it (413)', async () => {
    const p = await proxy()
    const before = await upstreamTotal()
    const { port } = new URL(p.url)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: '/v3/cc/preview/upload',
          headers: { ...callerHeaders().headers, 'Content-Length': String(MAX_REQUEST_BYTES + 1) },
        },
        (res) => {
          resolve(res.statusCode ?? 0)
          res.resume()
          req.destroy()
        },
      )
      req.on('error', reject)
      req.write('{"fileName":"a.xls","file":"')
    })
    expect(status).toBe(413)
    expect(await upstreamTotal()).toBe(before)
  })

  it('forwards only the spec operations: anything else is 404 here', async () => {
    const p = await proxy()
    const before = await upstreamTotal()
    for (const path of ['/__admin/config', '/v3/cc/other', '/v3/cc/seat/query/']) {
      const { res } = await post(p.url, path, {})
      expect(res.status).toBe(404)
    }
    // Right path, wrong method.
    const get = await fetch(`${p.url}/v3/cc/seat/query`, { headers: callerHeaders().headers })
    expect(get.status).toBe(404)
    expect(await upstreamTotal()).toBe(before)
  })
})

describe('proxy: recording', () => {
  it('writes a valid, redacted HAR after every exchange', async () => {
    const file = join(tmp, 'redaction.har')
    const p = await proxy({ record: file })
    const read = () =>
      JSON.parse(readFileSync(file, 'utf8')) as { log: { version: string; entries: HarEntry[] } }
    expect(read().log).toMatchObject({ version: '1.2', entries: [] })

    const passwords = ['Secr3tPassw0rd', 'An0therPassw0rd']
    const phones = ['8613512345678', '639171234567']
    const fileBytes = Buffer.from(`number\n${phones.join('\n')}\n`)
    const fileB64 = fileBytes.toString('base64')

    const seats = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(read().log.entries).toHaveLength(1)
    const records = JSON.parse(seats.text).data.records as {
      keyId: number
      voiceGroupId: number
      password: string
      displayNum: string | null
    }[]
    const answeredPasswords = records.map((r) => r.password).filter((pw) => pw.length >= 6)
    expect(answeredPasswords.length).toBeGreaterThan(0)
    const seat = records[0]!
    await post(p.url, '/v3/cc/seat/updateSeat', {
      keyId: seat.keyId,
      voiceGroupId: String(seat.voiceGroupId),
      name: 'Renamed',
      empNo: '9001',
      password: passwords[0],
      displayNum: phones[0],
    })
    expect(read().log.entries).toHaveLength(2)
    await post(p.url, '/v3/cc/seat/addSeatList', {
      voiceGroupId: seat.voiceGroupId,
      size: 1,
      password: passwords[1],
      displayNum: phones[1],
    })
    await post(p.url, '/v3/cc/preview/upload', { fileName: 'numbers.csv', file: fileB64 })
    const tasks = await post(p.url, '/v3/cc/preview/query', { current: 1, size: 50, params: {} })
    const taskPhones = [...tasks.text.matchAll(/"(?:callingNumber|displayNum)":"([^"]+)"/g)].map((m) => m[1]!)
    const seatPhones = records.map((r) => r.displayNum).filter((n): n is string => typeof n === 'string')
    await p.close()

    const har = read()
    expect(har.log.entries).toHaveLength(5)
    expect(har.log.entries.map((e) => e._laaffic.operationId)).toEqual([
      'querySeats',
      'updateSeat',
      'addSeats',
      'uploadPreviewFile',
      'queryPreviewTasks',
    ])
    for (const e of har.log.entries) {
      expect(e.request.url.startsWith(upstream.url)).toBe(true)
      expect(e.response.status).toBe(200)
      expect(typeof e.timings.wait).toBe('number')
      const names = e.request.headers.map((h) => h.name.toLowerCase())
      expect(names).not.toContain('sign')
      expect(e.request.headers.find((h) => h.name.toLowerCase() === 'api-key')?.value).toBe('O******Y')
    }
    const upload = JSON.parse(har.log.entries[3]?.request.postData?.text ?? '')
    expect(upload.file).toBe(
      `[file: ${fileBytes.length} bytes, sha256 ${createHash('sha256').update(fileBytes).digest('hex')}]`,
    )
    expect(har.log.entries[1]?.request.postData?.text).toContain('*********5678')

    // Every byte of the file: no secret, no Sign (the callers' or the re-signed ones), no full key,
    // no password, no full phone number, no file content.
    const bytes = readFileSync(file, 'utf8')
    const upstreamSigns = [...timestamps].flatMap((t) =>
      [t - 1, t, t + 1].map((s) => computeSign(UP_KEY, UP_SECRET, s)),
    )
    const forbidden = [
      SECRET,
      UP_SECRET,
      KEY,
      UP_KEY,
      ...signsSent,
      ...upstreamSigns,
      ...passwords,
      ...answeredPasswords,
      ...phones,
      ...taskPhones.filter((n) => n.replace(/\D/g, '').length > 4),
      ...seatPhones.filter((n) => n.replace(/\D/g, '').length > 4),
      fileB64,
    ]
    for (const s of forbidden) expect(bytes.toLowerCase().includes(s.toLowerCase()), s).toBe(false)
    // Nothing left behind by the atomic writes.
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps every entry when exchanges overlap (writes are serialised, the last holds all)', async () => {
    const file = join(tmp, 'concurrent.har')
    const p = await proxy({ record: file })
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(p.url, '/v3/cc/seatGroup/query', { current: i + 1, size: 1, params: {} }),
      ),
    )
    for (const a of answers) expect(a.res.status).toBe(200)
    // No close() first: every caller has its answer, so every entry is already on disk.
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { entries: HarEntry[] } }
    const pages = har.log.entries.map((e) => JSON.parse(e.request.postData?.text ?? '{}').current as number)
    expect(pages.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
  })

  it('reports a non-conforming upstream per operation and field, and still passes its answer on', async () => {
    const bad = {
      status: 0,
      reason: 'success',
      data: { total: '1', size: 15, current: 1, pages: 1, records: [{ keyId: 'x' }] },
    }
    const base = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(bad))
    })
    const file = join(tmp, 'nonconforming.har')
    const p = await proxy({ upstream: base, record: file })
    const { res, text } = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(res.status).toBe(200)
    expect(JSON.parse(text)).toEqual(bad)
    const report = (await (await fetch(`${p.url}/__proxy/report`)).json()) as ProxyReport
    expect(report.querySeats).toMatchObject({ requests: 1, forwarded: 1, nonConforming: 1 })
    const fields = Object.keys(report.querySeats?.violations ?? {})
    expect(fields).toEqual(
      expect.arrayContaining(['/data/total type', '/data/records/*/keyId type', '/data/records/* required']),
    )
    await p.close()
    const entry = JSON.parse(readFileSync(file, 'utf8')).log.entries[0]
    expect(entry.comment).toContain('/data/records/*/keyId type')
    expect(entry._laaffic.violations.length).toBe(fields.length)
  })
})

describe('proxy: recording a GET operation and an undocumented status', () => {
  it('records deleteGroup (GET) with its query, and flags a status its page does not list', async () => {
    const base = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":-999,"reason":"odd"}')
    })
    const file = join(tmp, 'get.har')
    const p = await proxy({ upstream: base, record: file })
    const res = await fetch(`${p.url}/v3/cc/seatGroup/deleteGroup?voiceGroupId=1000004`, {
      headers: callerHeaders().headers,
    })
    expect(await res.json()).toEqual({ status: -999, reason: 'odd' })
    await p.close()
    const entry = JSON.parse(readFileSync(file, 'utf8')).log.entries[0] as HarEntry
    expect(entry.request.method).toBe('GET')
    expect(entry.request.url).toBe(`${base}/v3/cc/seatGroup/deleteGroup?voiceGroupId=1000004`)
    expect(entry.request.queryString).toEqual([{ name: 'voiceGroupId', value: '1000004' }])
    expect(entry.request.postData).toBeUndefined()
    expect(entry._laaffic.violations).toContainEqual({ field: '/status', rule: 'undocumented status' })
    expect(p.report().deleteSeatGroup?.violations).toEqual({ '/status undocumented status': 1 })
  })
})

describe('proxy: upstream trouble', () => {
  it('upstream down: HTTP 502 with a reason, recorded', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const file = join(tmp, 'down.har')
    const p = await proxy({ upstream: `http://127.0.0.1:${port}`, record: file })
    const { res, text } = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(res.status).toBe(502)
    expect(JSON.parse(text).error).toContain('ECONNREFUSED')
    expect(res.headers.get('x-laaffic-proxy-error')).toContain('refused')
    expect(p.report().querySeats).toMatchObject({ upstreamErrors: 1 })
    await p.close()
    const entry = JSON.parse(readFileSync(file, 'utf8')).log.entries[0]
    expect(entry.response.status).toBe(0)
    expect(entry.comment).toContain('refused')
  })

  it('an upstream that never answers: HTTP 504 once the timeout passes', async () => {
    const base = await fakeUpstream(() => {})
    const p = await proxy({ upstream: base, timeoutMs: 200 })
    const { res, text } = await post(p.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(res.status).toBe(504)
    expect(JSON.parse(text).error).toContain('within 200 ms')
  })

  it('a reset connection and a non-JSON answer: HTTP 502', async () => {
    const reset = await fakeUpstream((req) => req.socket.destroy())
    const p1 = await proxy({ upstream: reset })
    const r1 = await post(p1.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(r1.res.status).toBe(502)
    expect(JSON.parse(r1.text).error).toMatch(/upstream/)
    const html = await fakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>')
    })
    const p2 = await proxy({ upstream: html })
    const r2 = await post(p2.url, '/v3/cc/seat/query', SEAT_QUERY)
    expect(r2.res.status).toBe(502)
    expect(JSON.parse(r2.text).error).toContain('not JSON')
  })

  it('the mock upstream truncating its JSON (X-Mock-Fault: malformed) is a 502; an HTTP 503 passes through', async () => {
    const p = await proxy()
    const ts = Math.floor(Date.now() / 1000)
    const send = (fault: string) =>
      fetch(`${p.url}/v3/cc/seat/query`, {
        method: 'POST',
        headers: { ...callerHeaders(KEY, SECRET, ts).headers, 'X-Mock-Fault': fault },
        body: JSON.stringify(SEAT_QUERY),
      })
    expect((await send('malformed')).status).toBe(502)
    expect((await send('http-503')).status).toBe(503)
    expect(p.report().querySeats).toMatchObject({ requests: 2, upstreamErrors: 2, forwarded: 0 })
  })
})
