import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { request } from 'node:http'
import { fileURLToPath } from 'node:url'
import { computeSign } from '@laaffic-kit/protocol'
import {
  freePort,
  type RedisServer,
  redisServerPath,
  type SpawnedServer,
  spawnUntilUrl,
  startRedisServer,
} from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KEY, NOW, SECRET } from './helpers.js'

/**
 * Replicas on one real Redis: two (or more) `laaffic-mock --store redis://…` processes, as a
 * team runs them behind a load balancer. Needs Debian's redis-server (.ci/run installs it).
 */
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const hasRedis = redisServerPath() !== undefined
if (!hasRedis) {
  console.warn('redis-server is not installed (apt-get install redis-server): the shared-store tests skip')
}

const started: SpawnedServer[] = []
let redis: RedisServer | undefined
let A: SpawnedServer
let B: SpawnedServer

async function mock(replica: string, extra: string[] = []): Promise<SpawnedServer> {
  const server = await spawnUntilUrl(
    process.execPath,
    [
      cli,
      '--port',
      '0',
      '--now',
      String(NOW),
      '--store',
      (redis as RedisServer).url,
      '--replica',
      replica,
      '-q',
      ...extra,
    ],
    { name: `laaffic-mock ${replica}`, timeoutMs: 20_000 },
  )
  started.push(server)
  return server
}

type Envelope = { status: number; reason: string; data?: unknown }

async function cc(
  server: SpawnedServer,
  path: string,
  body: unknown,
  { key = KEY as string, secret = SECRET as string, close = false } = {},
): Promise<Envelope> {
  const headers = {
    'Content-Type': 'application/json',
    'Api-Key': key,
    Timestamp: String(NOW),
    Sign: computeSign(key, secret, NOW),
  }
  if (close)
    return JSON.parse(await fresh(`${server.url}/v3/cc/${path}`, 'POST', headers, JSON.stringify(body)))
  const res = await fetch(`${server.url}/v3/cc/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Envelope
}

/** The X-Request-Id of a GET on a connection of its own. */
function freshRequestId(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(String(res.headers['x-request-id'])))
    })
    req.on('error', reject)
    req.end()
  })
}

const hostnameOf = (replica: string) => replica.replace(/-\d+-w\d+$/, '')

/**
 * A request on a connection of its own (fetch drops a `Connection: close` header and reuses its
 * pooled sockets, which stay with the worker that accepted them): node:http without an agent.
 */
function fresh(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () =>
        res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}`)),
      )
    })
    req.on('error', reject)
    req.end(body)
  })
}

const scenarioCount = async (server: SpawnedServer): Promise<number> =>
  (((await admin(server, '/scenarios')).json?.scenarios as unknown[] | undefined) ?? []).length

const admin = async (server: SpawnedServer, path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await fetch(`${server.url}/__admin${path}`, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  return {
    status: res.status,
    json: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>),
  }
}

const groupNames = async (server: SpawnedServer, name?: string): Promise<string[]> => {
  const r = await cc(server, 'seatGroup/query', {
    current: 1,
    size: 100,
    params: name ? { groupName: name } : {},
  })
  return ((r.data as { records?: { groupName: string }[] } | undefined)?.records ?? []).map(
    (g) => g.groupName,
  )
}

/** Polls `check` until it returns true (the others apply a change within a second); fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`not true within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const alive = (s: SpawnedServer) => s.child.exitCode === null && s.child.signalCode === null

describe.skipIf(!hasRedis)('replicas on one Redis (--store redis://…)', () => {
  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: build the mock first (turbo's test task does)`)
    redis = await startRedisServer()
    ;[A, B] = await Promise.all([mock('A'), mock('B')])
  }, 60_000)

  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()))
    await redis?.stop()
  })

  it('a group added on A is listed by B, and B answers a write after every earlier one', async () => {
    expect((await cc(A, 'seatGroup/addGroup', { appId: '1000009', groupName: 'shared-1' })).status).toBe(0)
    // B applies A's entry before its own: the same name is taken (-20) with no wait at all.
    expect((await cc(B, 'seatGroup/addGroup', { appId: '1000009', groupName: 'shared-1' })).status).toBe(-20)
    await eventually(async () => (await groupNames(B, 'shared-1')).length === 1)
    expect(await groupNames(B)).toEqual(await groupNames(A))
  })

  it('an account created on A signs on B; the clock set on A moves B', async () => {
    const created = await admin(A, '/accounts', { method: 'POST', body: { seed: 7, tasks: 10 } })
    expect(created.status).toBe(201)
    const { apiKey, apiSecret } = created.json as { apiKey: string; apiSecret: string }
    await eventually(
      async () =>
        (
          await cc(
            B,
            'seatGroup/query',
            { current: 1, size: 1, params: {} },
            { key: apiKey, secret: apiSecret },
          )
        ).status === 0,
    )

    expect((await admin(A, '/clock', { method: 'PUT', body: { shift: 60 } })).status).toBe(200)
    await eventually(async () => (await admin(B, '/clock')).json?.now === NOW + 60)
    await admin(B, '/clock', { method: 'PUT', body: { shift: 0 } })
    await eventually(async () => (await admin(A, '/clock')).json?.now === NOW)
  })

  it('a scenario queued on A is used exactly `times` across A and B under concurrent load', async () => {
    const added = await admin(A, '/scenarios', {
      method: 'POST',
      body: { status: -18, times: 7, match: { operation: 'querySeatGroups' } },
    })
    expect(added.status).toBe(201)
    await eventually(async () => (await scenarioCount(B)) === 1)
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        cc(i % 2 ? A : B, 'seatGroup/query', { current: 1, size: 1, params: {} }),
      ),
    )
    const forced = answers.filter((a) => a.status === -18)
    expect(forced).toHaveLength(7)
    expect(answers.filter((a) => a.status === 0)).toHaveLength(53)
    expect(await scenarioCount(A)).toBe(0)
    expect(await scenarioCount(B)).toBe(0)
  })

  it("A's journal lists the requests B served, each with its replica; request ids are unique", async () => {
    const res = await fetch(`${B.url}/v3/cc/seatGroup/query`, { method: 'POST', body: '{}' })
    const id = res.headers.get('X-Request-Id')
    expect(id).toMatch(/^B-\d+$/)
    let listed: { requestId: string; replica: string }[] = []
    await eventually(async () => {
      listed = (await admin(A, '/requests')).json?.requests as typeof listed
      return listed.some((e) => e.requestId === id)
    })
    expect(listed.find((e) => e.requestId === id)?.replica).toBe('B')
    expect(new Set(listed.map((e) => e.replica))).toEqual(new Set(['A', 'B']))
    expect(new Set(listed.map((e) => e.requestId)).size).toBe(listed.length)
  })

  it('a replica restarted rejoins with the shared state', async () => {
    await cc(A, 'seatGroup/addGroup', { appId: '1000012', groupName: 'before-restart' })
    await B.stop()
    const B2 = await mock('B')
    // Caught up before it printed its URL: no wait.
    expect(await groupNames(B2, 'before-restart')).toEqual(['before-restart'])
    expect(await groupNames(B2)).toEqual(await groupNames(A))
    B = B2
  })

  it('a replica started with other options (another seed) refuses to join: one line, exit 2', () => {
    const r = spawnSync(
      process.execPath,
      [cli, '--port', '0', '--now', String(NOW), '--store', (redis as RedisServer).url, '--seed', '7'],
      { encoding: 'utf8', timeout: 20_000 },
    )
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/run with other options: seed differ/)
  })

  it('Redis paused (no answers, socket open): a write answers -18 within 5 s, then reads too; resumed: A and B agree', async () => {
    const pid = (redis as RedisServer).process.pid
    process.kill(pid, 'SIGSTOP')
    try {
      const write = cc(A, 'seatGroup/addGroup', { appId: '1000009', groupName: 'while-paused' })
      const late = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no answer within 5 s')), 5000),
      )
      expect((await Promise.race([write, late])).status).toBe(-18)
      expect((await cc(A, 'seatGroup/query', { current: 1, size: 1, params: {} })).status).toBe(-18)
      expect((await admin(A, '/clock')).status).toBe(503)
      expect(alive(A)).toBe(true)
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    await eventually(
      async () => (await cc(A, 'seatGroup/query', { current: 1, size: 1, params: {} })).status === 0,
      15_000,
    )
    // The write that answered -18 may have been applied once Redis answered (as after a vendor
    // timeout): either way both replicas hold the same groups.
    await eventually(async () => JSON.stringify(await groupNames(A)) === JSON.stringify(await groupNames(B)))
  }, 30_000)

  it('Redis stopped: -18 and 503, no crash; restarted empty: both answer again and agree', async () => {
    const server = redis as RedisServer
    await server.stop()
    await eventually(
      async () => (await cc(A, 'seatGroup/query', { current: 1, size: 1, params: {} })).status === -18,
      5000,
    )
    expect((await cc(B, 'seatGroup/addGroup', { appId: '1000009', groupName: 'during-outage' })).status).toBe(
      -18,
    )
    expect((await admin(A, '/scenarios')).status).toBe(503)
    expect((await fetch(`${A.url}/healthz`)).status).toBe(503)
    expect(alive(A) && alive(B)).toBe(true)

    redis = await startRedisServer({ port: server.port })
    await eventually(
      async () => (await cc(A, 'seatGroup/query', { current: 1, size: 1, params: {} })).status === 0,
      15_000,
    )
    await eventually(
      async () => (await cc(B, 'seatGroup/query', { current: 1, size: 1, params: {} })).status === 0,
      15_000,
    )
    // Redis came back without the log: both went back to the start state (the groups added are gone).
    expect(await groupNames(A, 'shared-1')).toEqual([])
    expect(await groupNames(B)).toEqual(await groupNames(A))
    expect((await cc(B, 'seatGroup/addGroup', { appId: '1000009', groupName: 'after-outage' })).status).toBe(
      0,
    )
    await eventually(async () => (await groupNames(A, 'after-outage')).length === 1)
  }, 40_000)
})

describe.skipIf(!hasRedis)('--workers', () => {
  it('--workers 2 serves one port from two replicas (the journal shows both); a killed worker is replaced', async () => {
    const own = await startRedisServer()
    const server = await spawnUntilUrl(
      process.execPath,
      [cli, '--port', '0', '--now', String(NOW), '--store', own.url, '--workers', '2', '-q'],
      { name: 'laaffic-mock --workers 2', timeoutMs: 30_000 },
    )
    try {
      // A connection each: the primary hands connections to the workers in turn.
      for (let i = 0; i < 10; i++) {
        expect(
          (await cc(server, 'seatGroup/query', { current: 1, size: 1, params: {} }, { close: true })).status,
        ).toBe(0)
      }
      let replicas = new Set<string>()
      await eventually(async () => {
        const { requests } = JSON.parse(await fresh(`${server.url}/__admin/requests`, 'GET')) as {
          requests: { replica: string }[]
        }
        replicas = new Set(requests.map((r) => r.replica))
        return requests.length >= 10
      })
      expect(replicas.size).toBe(2)
      for (const r of replicas) expect(r).toMatch(/-w\d+$/)
      // A worker that dies is replaced; the port keeps answering meanwhile.
      const pid = Number([...replicas][0]?.match(/-(\d+)-w\d+$/)?.[1])
      expect(Number.isInteger(pid)).toBe(true)
      process.kill(pid, 'SIGKILL')
      // X-Request-Id names the worker that answered (connections alternate between workers).
      const answeredBy = new Set<string>()
      await eventually(async () => {
        const id = await freshRequestId(`${server.url}/healthz`)
        answeredBy.add(id.replace(/-\d+$/, ''))
        return [...answeredBy].some((r) => r.endsWith('-w3'))
      }, 15_000)
      expect([...answeredBy].some((r) => r.startsWith(`${hostnameOf(r)}-${pid}-`))).toBe(false)
    } finally {
      expect((await server.stop()).code).toBe(0)
      await own.stop()
    }
  }, 40_000)

  it('--workers 2 without --store redis://… is a one-line startup error (exit 2)', () => {
    const r = spawnSync(process.execPath, [cli, '--workers', '2', '--port', '0'], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/--workers 2 needs --store redis:\/\//)
  })
})

describe('--store refusals (no Redis needed)', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [cli, '--port', '0', ...args], { encoding: 'utf8', timeout: 20_000 })

  it('refuses a Redis URL with credentials without printing them (exit 2)', () => {
    const r = run(['--store', 'redis://admin:hunter2@127.0.0.1:6379'])
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/--store must be memory or redis:\/\/host:port/)
    expect(r.stderr).not.toContain('hunter2')
    expect(r.stderr).not.toContain('admin')
  })

  it('a Redis that cannot be reached at startup is one line and exit 1, not a hang', async () => {
    const r = run(['--store', `redis://127.0.0.1:${await freePort()}`])
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/cannot reach the store at redis:\/\/127\.0\.0\.1:\d+/)
  })
})
