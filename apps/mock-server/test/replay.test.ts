import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeSign } from '@laaffic-kit/protocol'
import { type SpawnedServer, spawnUntilUrl } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockApp, mockState } from '../src/app.js'
import { OptionError } from '../src/options.js'
import type { HarEntry } from '../src/proxy/har.js'
import { type RunningProxy, startProxy } from '../src/proxy/server.js'
import { canonicalJson, loadReplayFile, replayBookFrom } from '../src/replay/book.js'
import {
  callerHeaders,
  cli,
  ensureBuilt,
  KEY,
  SECRET,
  spawnUpstream,
  UP_KEY,
  UP_SECRET,
} from './proxy-helpers.js'
import { ensureImportBuilt } from './replay-helpers.js'

// Record through the proxy in front of a spawned mock (its own seed, so its world is not the
// replaying mock's), then replay the file in a mock with yet other credentials.

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-replay-'))
const har = join(tmp, 'recorded.har')
let upstream: SpawnedServer
let proxy: RunningProxy

/** The replaying mock's own account: neither the proxy's callers' nor the upstream's. */
const R_KEY = 'REPLAYKEY1'
const R_SECRET = 'replaysecret1'

const GROUPS = { current: 1, size: 20, params: {} }
const TASKS = { current: 1, size: 5, params: { startTime: '2020-01-01', endTime: '2030-01-01' } }
/** Live answers through the proxy, by name. */
const live: Record<string, string> = {}
let groupToDelete = 0

async function viaProxy(path: string, body?: unknown): Promise<string> {
  const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers: callerHeaders().headers }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(`${proxy.url}${path}`, init)
  expect(res.status).toBe(200)
  return res.text()
}

beforeAll(async () => {
  ensureBuilt()
  ensureImportBuilt()
  upstream = await spawnUpstream(['--seed', '7', '--tasks', '30', '--seats', '0'])
  proxy = await startProxy({
    upstream: upstream.url,
    record: har,
    port: 0,
    host: '127.0.0.1',
    apiKey: KEY,
    apiSecret: SECRET,
    timestampWindow: 300,
    timeoutMs: 30_000,
    upstreamApiKey: UP_KEY,
    upstreamApiSecret: UP_SECRET,
  })
  live.groupsBefore = await viaProxy('/v3/cc/seatGroup/query', GROUPS)
  const groups = JSON.parse(live.groupsBefore).data.records as { voiceGroupId: number; countSeat: number }[]
  groupToDelete = groups.find((g) => g.countSeat === 0)?.voiceGroupId ?? 0
  expect(groupToDelete).toBeGreaterThan(0)
  live.tasks = await viaProxy('/v3/cc/preview/query', TASKS)
  live.deleted = await viaProxy(`/v3/cc/seatGroup/deleteGroup?voiceGroupId=${groupToDelete}`)
  live.groupsAfter = await viaProxy('/v3/cc/seatGroup/query', GROUPS)
  await proxy.close()
}, 120_000)

afterAll(async () => {
  await proxy?.close()
  await upstream?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

const entries = () => (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries
const recordedText = (i: number) => entries()[i]?.response.content.text ?? ''

function replayApp(over: Parameters<typeof createMockApp>[0] = {}) {
  return createMockApp({ apiKey: R_KEY, apiSecret: R_SECRET, logLevel: 'silent', replay: har, ...over })
}

type App = ReturnType<typeof createMockApp>

/** A request signed now with the replaying mock's account (or another one). */
async function call(app: App, path: string, body?: string, signer: [string, string] = [R_KEY, R_SECRET]) {
  const ts = Math.floor(Date.now() / 1000)
  const headers = {
    'Content-Type': 'application/json',
    'Api-Key': signer[0],
    Timestamp: String(ts),
    Sign: computeSign(signer[0], signer[1], ts),
  }
  const res = await app.request(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
  })
  return { http: res.status, text: await res.text() }
}

describe('--replay: recorded requests', () => {
  it('answers a recorded request with the recorded answer, whatever the key order, spacing, Timestamp and Sign', async () => {
    const app = replayApp()
    // Keys reordered and spaced: the normalised body is what matches.
    const body = JSON.stringify(
      { size: 5, params: { endTime: '2030-01-01', startTime: '2020-01-01' }, current: 1 },
      null,
      2,
    )
    const got = await call(app, '/v3/cc/preview/query', body)
    expect(got.http).toBe(200)
    expect(got.text).toBe(recordedText(1))
    // The recording is redacted (phones cut), so the replay equals the live answer but for those.
    const liveTasks = JSON.parse(live.tasks ?? '') as { data: { records: unknown[]; total: number } }
    const replayed = JSON.parse(got.text) as { status: number; data: { records: unknown[]; total: number } }
    expect(replayed.status).toBe(0)
    expect(replayed.data.total).toBe(liveTasks.data.total)
    expect(replayed.data.records).toHaveLength(liveTasks.data.records.length)
    // The mock's own world (another seed) would have answered otherwise.
    const own = await call(replayApp({ replay: undefined }), '/v3/cc/preview/query', body)
    expect(JSON.parse(own.text).data.total).not.toBe(liveTasks.data.total)
  })

  it('equals the live answer where nothing needed redacting; a request recorded twice is answered in order', async () => {
    const app = replayApp()
    const body = JSON.stringify(GROUPS)
    const first = await call(app, '/v3/cc/seatGroup/query', body)
    expect(JSON.parse(first.text)).toEqual(JSON.parse(live.groupsBefore ?? ''))
    const del = await call(app, `/v3/cc/seatGroup/deleteGroup?voiceGroupId=${groupToDelete}`)
    expect(JSON.parse(del.text)).toEqual(JSON.parse(live.deleted ?? ''))
    const second = await call(app, '/v3/cc/seatGroup/query', body)
    expect(JSON.parse(second.text)).toEqual(JSON.parse(live.groupsAfter ?? ''))
    expect(second.text).not.toBe(first.text)
    // The last answer repeats once the recorded ones are used up.
    expect((await call(app, '/v3/cc/seatGroup/query', body)).text).toBe(second.text)
  })

  it('journals a replayed answer with its in-band status, marked replay', async () => {
    const app = replayApp()
    await call(app, '/v3/cc/seatGroup/query', JSON.stringify(GROUPS))
    const listed = mockState(app).journal.list(10)
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ status: 0, forced: 'replay', httpStatus: 200 })
  })

  it('still checks signing with the mock credentials: -1 for a bad Sign or the recording caller’s account', async () => {
    const app = replayApp()
    const body = JSON.stringify(GROUPS)
    for (const signer of [
      [R_KEY, 'wrongsecret'],
      [KEY, SECRET],
      [UP_KEY, UP_SECRET],
    ] as [string, string][]) {
      const got = await call(app, '/v3/cc/seatGroup/query', body, signer)
      expect(JSON.parse(got.text).status, signer[0]).toBe(-1)
    }
  })

  it('never answers a secret: the recording holds none of the proxy’s or upstream’s, and the mock’s own are redacted', async () => {
    const text = readFileSync(har, 'utf8')
    for (const s of [SECRET, UP_SECRET, UP_KEY]) expect(text).not.toContain(s)
    // A file edited by hand to hold the replaying mock's secret: replay does not pass it on.
    const doc = JSON.parse(text) as { log: { entries: HarEntry[] } }
    const first = doc.log.entries[0]
    if (!first) throw new Error('no entry')
    first.response.content.text = JSON.stringify({
      status: 0,
      reason: `leak ${R_SECRET}`,
      data: { records: [], total: 0 },
    })
    const edited = join(tmp, 'edited.har')
    writeFileSync(edited, JSON.stringify(doc))
    const got = await call(replayApp({ replay: edited }), '/v3/cc/seatGroup/query', JSON.stringify(GROUPS))
    expect(got.text).not.toContain(R_SECRET)
    expect(got.text).toContain('[redacted]')
  })
})

describe('--replay: requests the recording does not hold', () => {
  const other = JSON.stringify({ current: 2, size: 3, params: {} })

  it('--replay-miss mock (the default): the normal mock answers', async () => {
    const app = replayApp()
    const got = await call(app, '/v3/cc/seatGroup/query', other)
    const own = await call(replayApp({ replay: undefined }), '/v3/cc/seatGroup/query', other)
    expect(got.http).toBe(200)
    expect(JSON.parse(got.text)).toEqual(JSON.parse(own.text))
    const del = await call(app, '/v3/cc/seatGroup/deleteGroup?voiceGroupId=99999999')
    expect(JSON.parse(del.text).status).toBe(-24)
  })

  it('--replay-miss not-found: -24 where the operation lists it (deleteGroup), else HTTP 404', async () => {
    const app = replayApp({ replayMiss: 'not-found' })
    const list = await call(app, '/v3/cc/seatGroup/query', other)
    expect(list.http).toBe(404)
    expect(JSON.parse(list.text).message).toContain('querySeatGroups')
    // A group that exists in the mock's own world: a miss is still "does not exist".
    const own = mockState(app).world.groups.keys().next().value as number
    const del = await call(app, `/v3/cc/seatGroup/deleteGroup?voiceGroupId=${own}`)
    expect(del.http).toBe(200)
    expect(JSON.parse(del.text)).toMatchObject({ status: -24 })
    // Both misses are journalled as such.
    expect(
      mockState(app)
        .journal.list(2)
        .map((e) => [e.httpStatus, e.status, e.forced]),
    ).toEqual([
      [404, null, 'replay-miss'],
      [200, -24, 'replay-miss'],
    ])
    // A recorded request is still answered.
    expect((await call(app, '/v3/cc/seatGroup/query', JSON.stringify(GROUPS))).text).toBe(recordedText(0))
    // Signing comes first: a bad Sign is -1, not a miss.
    expect(JSON.parse((await call(app, '/v3/cc/seatGroup/query', other, [R_KEY, 'x'])).text).status).toBe(-1)
  })

  it('a forced status wins over the recording', async () => {
    const app = replayApp()
    const ts = Math.floor(Date.now() / 1000)
    const res = await app.request('/v3/cc/seatGroup/query', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Api-Key': R_KEY,
        Timestamp: String(ts),
        Sign: computeSign(R_KEY, R_SECRET, ts),
        'X-Mock-Status': '-18',
      },
      body: JSON.stringify(GROUPS),
    })
    expect((await res.json()).status).toBe(-18)
  })
})

describe('--replay: checking the file on load', () => {
  const entry = () => JSON.parse(JSON.stringify(entries()[0])) as Record<string, unknown> & HarEntry
  const refused = (doc: unknown): string => {
    try {
      replayBookFrom(doc, '--replay x.har')
    } catch (err) {
      expect(err).toBeInstanceOf(OptionError)
      const message = (err as Error).message
      expect(message.split('\n')).toHaveLength(1)
      return message
    }
    throw new Error('accepted')
  }

  it('refuses what is not a HAR recording of spec operations, naming the entry and field', () => {
    expect(refused([])).toBe('--replay x.har: not a HAR file (no "log" object)')
    expect(refused({ log: {} })).toContain('log.entries is not an array')
    const unknownOp = entry()
    unknownOp._laaffic.operationId = 'dropTables'
    expect(refused({ log: { entries: [entry(), unknownOp] } })).toContain(
      'entry 1: _laaffic.operationId names no operation',
    )
    const wrongPath = entry()
    wrongPath.request.url = 'http://x/v3/cc/seat/query'
    expect(refused({ log: { entries: [wrongPath] } })).toContain(
      'entry 0: request is not POST /v3/cc/seatGroup/query',
    )
    const noBody = entry()
    delete (noBody.request as { postData?: unknown }).postData
    expect(refused({ log: { entries: [noBody] } })).toContain(
      'entry 0: request.postData.text is not a string',
    )
    const badStatus = entry()
    ;(badStatus.response as { status: unknown }).status = '200'
    expect(refused({ log: { entries: [badStatus] } })).toContain('response.status is not an HTTP status')
    const foreign = entry()
    delete (foreign as { _laaffic?: unknown })._laaffic
    foreign.request.url = 'http://x/v1/other'
    expect(refused({ log: { entries: [foreign] } })).toContain(
      'is not a vendor operation of the spec (POST /v1/other)',
    )
  })

  it('takes a HAR from elsewhere (no _laaffic) by method and path, and skips entries without an answer', () => {
    const plain = entry()
    delete (plain as { _laaffic?: unknown })._laaffic
    const failed = entry()
    failed.response.status = 0
    delete failed.response.content.text
    expect(replayBookFrom({ log: { entries: [plain, failed] } }, 'x').size).toBe(1)
  })

  it('names unreadable and non-JSON files; createMockApp refuses them', () => {
    const notJson = join(tmp, 'not.har')
    writeFileSync(notJson, '{"log": ')
    expect(() => loadReplayFile(notJson)).toThrow(/^--replay .*not\.har: not valid JSON/)
    expect(() => loadReplayFile(join(tmp, 'missing.har'))).toThrow(/cannot read \(ENOENT\)/)
    expect(() => replayApp({ replay: notJson })).toThrow(OptionError)
  })

  it('the CLI exits 2 with one line for a bad file', () => {
    const bad = join(tmp, 'bad.har')
    writeFileSync(bad, JSON.stringify({ log: { entries: [{ request: 1 }] } }))
    const run = spawnSync(process.execPath, [cli, '--port', '0', '--replay', bad], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(run.status).toBe(2)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('entry 0: request is not an object')
  })
})

describe('laaffic-mock --replay (CLI)', () => {
  it('serves a recording from the command line, signed with its own credentials', async () => {
    const mock = await spawnUntilUrl(
      process.execPath,
      [
        cli,
        '--port',
        '0',
        '--api-key',
        R_KEY,
        '--api-secret',
        R_SECRET,
        '--replay',
        har,
        '--replay-miss',
        'not-found',
      ],
      { name: 'replaying mock', timeoutMs: 20_000 },
    )
    try {
      const ts = Math.floor(Date.now() / 1000)
      const res = await fetch(`${mock.url}/v3/cc/seatGroup/query`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Api-Key': R_KEY,
          Timestamp: String(ts),
          Sign: computeSign(R_KEY, R_SECRET, ts),
        },
        body: JSON.stringify(GROUPS),
      })
      expect(await res.text()).toBe(recordedText(0))
    } finally {
      await mock.stop()
    }
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}')
    expect(canonicalJson([2, 1])).toBe('[2,1]')
  })
})
