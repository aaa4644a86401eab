import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { BlockList, isIP } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ENDPOINT_PATH } from '@laaffic-kit/protocol'
import { type SpawnedServer, SpawnUntilUrlError, spawnUntilUrl } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createIpCheck, ipFamily } from '../src/auth.js'
import { OPERATION_MODULES } from '../src/operations/registry.js'
import { loadSpecValidator, specValidator } from '../src/operations/schema-validation.js'
import { NOW, SECRET, signed, validator } from './helpers.js'

/**
 * The same app on Bun: the built mock (dist) imported by a Bun script and served with
 * Bun.serve({ fetch: app.fetch }), as Hono intends. Only serve.ts and the CLI are Node's.
 */
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/** The `bun` binary of the npm package (its postinstall links the platform build), if it runs here. */
function findBun(): { path: string } | { skip: string } {
  let path: string
  try {
    const pkg = createRequire(import.meta.url).resolve('bun/package.json')
    path = join(dirname(pkg), 'bin', 'bun.exe')
  } catch {
    return { skip: 'the bun npm package is not installed (devDependency of the mock)' }
  }
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 20_000 })
  if (probe.status !== 0) {
    // Without its postinstall (pnpm's onlyBuiltDependencies) bin/bun.exe is a script that says so.
    const why = `${probe.stderr ?? ''}${probe.error?.message ?? ''}`.trim().split('\n')[0]
    return { skip: `bun does not run here: ${why || `exit ${probe.status}`}` }
  }
  return { path }
}

const bun = findBun()
if ('skip' in bun) console.warn(`bun.test.ts skipped: ${bun.skip}`)

/**
 * The whole server: two apps (the default one, and one that allows only 127.0.0.2) on two
 * Bun.serve ports. Bun hands its Server to fetch as the second argument (Hono's c.env); the
 * pipeline asks it for the client address.
 */
const SCRIPT = `
const { createMockApp } = await import(process.env.MOCK_DIST)
const now = Number(process.env.MOCK_NOW)
const app = createMockApp({ now, logLevel: 'silent' })
const fenced = createMockApp({ now, logLevel: 'silent', allowIp: ['127.0.0.2'] })
const main = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch })
const other = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: fenced.fetch })
process.on('SIGTERM', () => { main.stop(true); other.stop(true); process.exit(0) })
console.log('fenced http://127.0.0.1:' + other.port)
console.log('on ' + Bun.version + ' http://127.0.0.1:' + main.port)
`

const SEED_BODY = { current: 1, size: 15, params: { startTime: '2025-01-10', endTime: '2025-02-10' } }
// The vendor's own example request: these exact headers and Sign (Timestamp 1630468800).
const VENDOR_HEADERS = {
  'Content-Type': 'application/json;charset=UTF-8',
  'Api-Key': 'bDqJFiq9',
  Timestamp: '1630468800',
  Sign: '05d7a50893e22a5c4bb3216ae3396c7c',
}

let server: SpawnedServer | undefined
let base = ''
let fencedBase = ''

async function startBun(path: string): Promise<SpawnedServer> {
  return spawnUntilUrl(path, ['-e', SCRIPT], {
    env: { MOCK_DIST: dist, MOCK_NOW: String(NOW) },
    name: 'bun (mock on Bun.serve)',
    timeoutMs: 30_000,
    streams: 'both',
    // The second line: by then both servers are listening.
    match: (line) => /^on \S+ (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1],
  })
}

beforeAll(async () => {
  if ('skip' in bun) return
  if (!existsSync(dist)) throw new Error(`${dist} is missing: build the mock first (turbo's test task does)`)
  try {
    server = await startBun(bun.path)
  } catch (err) {
    // cli.test.ts rebuilds dist/ in its beforeAll, possibly while this file imports it: one retry.
    if (!(err instanceof SpawnUntilUrlError) || err.reason !== 'exit') throw err
    server = await startBun(bun.path)
  }
  base = server.url
  const fenced = /fenced (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1]
  if (!fenced) throw new Error(`no fenced URL in: ${server.output()}`)
  fencedBase = fenced
}, 60_000)

afterAll(async () => {
  if (server) {
    const exit = await server.stop()
    expect(exit.code).toBe(0)
  }
})

async function post(url: string, body: unknown, headers: Record<string, string> = signed()) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return (await res.json()) as { status: number; reason: string; data?: unknown }
}

/** A signed POST from a chosen loopback source address (fetch cannot pick one). */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number }> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', localAddress, headers: { ...signed(), 'Content-Length': Buffer.byteLength(text) } },
      (res) => {
        let out = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          out += chunk
        })
        res.on('end', () => {
          try {
            resolve(JSON.parse(out) as { status: number })
          } catch (err) {
            reject(err)
          }
        })
      },
    )
    req.on('error', reject)
    req.end(text)
  })
}

type Page<T> = { total: number; pages: number; current: number; records: T[] }

describe.skipIf('skip' in bun)('the mock on Bun (Bun.serve + app.fetch)', () => {
  it('runs on Bun, not Node', () => {
    expect(server?.output()).toMatch(/^on \d+\.\d+\.\d+/m)
  })

  it("answers the vendor's seed query, with its own Sign, with task 5000525 in the pages", async () => {
    const first = await post(base + ENDPOINT_PATH, SEED_BODY, VENDOR_HEADERS)
    expect(first).toMatchObject({ status: 0, reason: 'success' })
    expect(validator.errors('QueryResponse', first)).toEqual([])
    const data = first.data as Page<{ taskId: number; seatGroupName: string }>
    expect(data.total).toBeGreaterThan(0)
    expect(data.pages).toBe(Math.ceil(data.total / 15))
    let found = data.records.find((r) => r.taskId === 5000525)
    for (let current = 2; !found && current <= data.pages; current++) {
      const next = await post(base + ENDPOINT_PATH, { ...SEED_BODY, current }, VENDOR_HEADERS)
      found = (next.data as typeof data).records.find((r) => r.taskId === 5000525)
    }
    expect(found?.seatGroupName).toBe('测试基础设置(话机)')
  })

  it('rejects a wrong Sign in-band (-1) and keeps the secret out of the answer', async () => {
    const res = await post(base + ENDPOINT_PATH, SEED_BODY, signed(NOW, { Sign: '0'.repeat(32) }))
    expect(res.status).toBe(-1)
    expect(JSON.stringify(res)).not.toContain(SECRET)
  })

  it('lists seat groups (schema-validated: the spec validator loads by dynamic import on Bun)', async () => {
    const res = await post(`${base}/v3/cc/seatGroup/query`, { current: 1, size: 100, params: {} })
    expect(res.status).toBe(0)
    expect(validator.errors('SeatGroupQueryResponse', res)).toEqual([])
    const page = res.data as Page<{ voiceGroupId: number; groupName: string; countSeat: number }>
    expect(page.total).toBe(12)
    expect(page.records.reduce((n, g) => n + g.countSeat, 0)).toBe(48)
    // -22 from Ajv's errors, worded by the mock.
    const bad = await post(`${base}/v3/cc/seatGroup/query`, { current: 1, size: 101, params: {} })
    expect(bad.status).toBe(-22)
    expect(bad.reason).toContain('size must be at most 100')
  })

  it('adds a group (a write) that reads back by name, and refuses its duplicate', async () => {
    const add = { appId: '1000009', groupName: 'bunGroup' }
    expect(await post(`${base}/v3/cc/seatGroup/addGroup`, add)).toEqual({
      status: 0,
      reason: 'success',
      data: null,
    })
    const res = await post(`${base}/v3/cc/seatGroup/query`, {
      current: 1,
      size: 10,
      params: { groupName: 'bunGroup' },
    })
    const page = res.data as Page<{ voiceGroupId: number; groupName: string; countSeat: number }>
    expect(page.records).toHaveLength(1)
    expect(page.records[0]).toMatchObject({ groupName: 'bunGroup', countSeat: 0 })
    expect((await post(`${base}/v3/cc/seatGroup/addGroup`, add)).status).toBe(-20)
  })

  it("applies the IP allowlist to Bun's client address (requestIP), not a default", async () => {
    // An address the mock cannot learn counts as 127.0.0.1: only 127.0.0.2 getting through shows
    // that the real one was read.
    expect((await postFrom('127.0.0.2', fencedBase + ENDPOINT_PATH, SEED_BODY)).status).toBe(0)
    expect((await postFrom('127.0.0.1', fencedBase + ENDPOINT_PATH, SEED_BODY)).status).toBe(-2)
  })
})

describe('the IP allowlist without node:net', () => {
  // auth.ts moved from node:net's BlockList to ipaddr.js: the same answers, IPv4-mapped forms included.
  const lists = [
    ['127.0.0.1', '192.168.0.0/16'],
    ['10.0.0.0/8'],
    ['::1'],
    ['::/0'],
    ['0.0.0.0/0'],
    ['::ffff:10.0.0.0/104'],
    ['fe80::/10', '2001:db8::1'],
    ['::ffff:1.2.3.4'],
    ['1.2.3.4/32', '::ffff:0:0/96'],
  ]
  const addresses = [
    '127.0.0.1',
    '192.168.4.5',
    '::ffff:192.168.0.1',
    '::1',
    '10.1.2.3',
    '::ffff:10.9.9.9',
    '1.2.3.4',
    '::ffff:1.2.3.4',
    '0:0:0:0:0:ffff:0a01:0203',
    'fe80::1',
    'fe80::1%eth0',
    '2001:db8::1',
    '2001:db8::2',
    '::',
    '127.1',
    'not an address',
    undefined,
  ]
  function blockList(allow: readonly string[]): (address: string | undefined) => boolean {
    const list = new BlockList()
    for (const item of allow) {
      const [addr = '', prefix] = item.split('/')
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4'
      if (prefix === undefined) list.addAddress(addr, type)
      else list.addSubnet(addr, Number(prefix), type)
    }
    return (address) => {
      let a = address ?? '127.0.0.1'
      if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7)
      const family = isIP(a)
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4')
    }
  }
  it('ipFamily agrees with node:net isIP', () => {
    const all = [...addresses.filter((a) => a !== undefined), '1.2.3', '01.2.3.4', '::ffff:1.2.3.4.5', '']
    expect(all.map((a) => [a, ipFamily(a)])).toEqual(all.map((a) => [a, isIP(a)]))
  })

  it.each(lists)('agrees with node:net BlockList for %s', (...allow) => {
    const expected = blockList(allow)
    const actual = createIpCheck(allow)
    expect(addresses.map((a) => [a, actual(a)])).toEqual(addresses.map((a) => [a, expected(a)]))
  })
})

describe('the spec validator: a dynamic import, awaited by schema-validated operations only', () => {
  it('hand-validated operations (preview/query, the deleteGroup query string) prepare nothing', () => {
    const uses = Object.fromEntries(OPERATION_MODULES.map((op) => [op.def.id, op.prepare !== undefined]))
    // toMatchObject: operations added later state their own answer here.
    expect(uses).toMatchObject({
      queryPreviewTasks: false,
      querySeatGroups: true,
      addSeatGroup: true,
      updateSeatGroup: true,
      deleteSeatGroup: false,
      querySeats: true,
      addSeats: true,
      updateSeat: true,
      batchSeats: true,
    })
  })

  it('loads once: the promise resolves to the validator the synchronous path then returns', async () => {
    const loaded = await loadSpecValidator()
    expect(await loadSpecValidator()).toBe(loaded)
    expect(specValidator()).toBe(loaded)
    expect(loaded.errors('AddSeatGroupRequest', { appId: '1', groupName: 'abcd' })).toEqual([])
  })
})
