import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeSign } from '@laaffic-kit/protocol'
import type { SpawnedServer } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { fixturesFromHar } from '../src/import/har-to-fixtures.js'
import { OptionError } from '../src/options.js'
import type { HarEntry } from '../src/proxy/har.js'
import { startProxy } from '../src/proxy/server.js'
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

// Record every task (three pages), the groups and the seats of a spawned mock through the proxy,
// import the recording, and serve the fixture file with --data.

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-import-'))
const har = join(tmp, 'recorded.har')
let upstream: SpawnedServer
type Task = { taskId: number } & Record<string, unknown>
const recordedTasks = new Map<number, Task>()
let liveTotal = 0

beforeAll(async () => {
  ensureBuilt()
  ensureImportBuilt()
  upstream = await spawnUpstream(['--seed', '11', '--tasks', '23'])
  const proxy = await startProxy({
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
  try {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${proxy.url}${path}`, {
        method: 'POST',
        headers: callerHeaders().headers,
        body: JSON.stringify(body),
      })
      return JSON.parse(await res.text()) as { status: number; data: { total: number; records: Task[] } }
    }
    for (const current of [1, 2, 3]) {
      const page = await post('/v3/cc/preview/query', { current, size: 10, params: {} })
      expect(page.status).toBe(0)
      liveTotal = page.data.total
    }
    // The first page again: a task recorded twice is imported once.
    await post('/v3/cc/preview/query', { current: 1, size: 10, params: {} })
    await post('/v3/cc/seatGroup/query', { current: 1, size: 50, params: {} })
    await post('/v3/cc/seat/query', {
      current: 1,
      size: 50,
      params: { strTime: '2025-01-01 00:00:00', endTime: '2025-01-20 00:00:00' },
    })
  } finally {
    await proxy.close()
  }
  for (const e of (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries) {
    if (e._laaffic.operationId !== 'queryPreviewTasks') continue
    for (const t of JSON.parse(e.response.content.text ?? '').data.records as Task[])
      recordedTasks.set(t.taskId, t)
  }
}, 120_000)

afterAll(async () => {
  await upstream?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

const runImport = (args: string[]) =>
  spawnSync(process.execPath, [cli, 'import', ...args], { encoding: 'utf8', timeout: 30_000 })

async function servedTasks(data: string): Promise<{ total: number; records: Task[] }> {
  const app = createMockApp({ data, logLevel: 'silent', apiKey: 'IMPORTK1', apiSecret: 'importsecret' })
  const ts = Math.floor(Date.now() / 1000)
  const res = await app.request('/v3/cc/preview/query', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Api-Key': 'IMPORTK1',
      Timestamp: String(ts),
      Sign: computeSign('IMPORTK1', 'importsecret', ts),
    },
    body: JSON.stringify({ current: 1, size: 100, params: {} }),
  })
  const body = (await res.json()) as { status: number; data: { total: number; records: Task[] } }
  expect(body.status).toBe(0)
  return body.data
}

async function served(data: string, path: string, params: Record<string, unknown>) {
  const app = createMockApp({ data, logLevel: 'silent', apiKey: 'IMPORTK1', apiSecret: 'importsecret' })
  const ts = Math.floor(Date.now() / 1000)
  const res = await app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Api-Key': 'IMPORTK1',
      Timestamp: String(ts),
      Sign: computeSign('IMPORTK1', 'importsecret', ts),
    },
    body: JSON.stringify({ current: 1, size: 100, params }),
  })
  const body = (await res.json()) as {
    status: number
    data: { total: number; records: Record<string, unknown>[] }
  }
  expect(body.status).toBe(0)
  return body.data
}

describe('laaffic-mock import', () => {
  it('imports the recorded seat groups and seats too: --data serves them as recorded (passwords generated)', async () => {
    const out = join(tmp, 'world.json')
    expect(runImport([har, '--out', out]).status).toBe(0)
    const recorded = (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries
    const answer = (op: string) => {
      const e = recorded.find((x) => x._laaffic.operationId === op)
      return JSON.parse(e?.response.content.text ?? '').data as { records: Record<string, unknown>[] }
    }
    const groups = await served(out, '/v3/cc/seatGroup/query', {})
    const recordedGroups = answer('querySeatGroups').records
    expect(groups.total).toBe(recordedGroups.length)
    for (const g of recordedGroups) {
      expect(groups.records.find((x) => x.voiceGroupId === g.voiceGroupId)).toMatchObject({
        groupName: g.groupName,
        appName: g.appName,
        callinStrategy: g.callinStrategy,
        countSeat: g.countSeat,
      })
    }
    const seats = await served(out, '/v3/cc/seat/query', {
      strTime: '2025-01-01 00:00:00',
      endTime: '2025-01-20 00:00:00',
    })
    const recordedSeats = answer('querySeats').records
    expect(seats.total).toBe(recordedSeats.length)
    for (const s of recordedSeats) {
      const { password, num, connectNum, connectRate, ...fields } = s
      const mine = seats.records.find((x) => x.keyId === s.keyId)
      expect(mine).toMatchObject(fields)
      expect(password).toBe('[redacted]')
      expect(mine?.password).toMatch(/^[A-Za-z0-9]{8}$/)
    }
  })

  it('writes the recorded tasks as a --data fixture file that serves them', async () => {
    expect(liveTotal).toBe(23)
    expect(recordedTasks.size).toBe(23)
    const out = join(tmp, 'fixtures.json')
    const run = runImport([har, '--out', out])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('23 tasks from 4 preview/query answers')
    expect(run.stdout).toMatch(/\d+ seat groups, \d+ seats →/)
    const written = JSON.parse(readFileSync(out, 'utf8')) as { records: Task[] }
    expect(written.records).toHaveLength(23)
    const served = await servedTasks(out)
    expect(served.total).toBe(23)
    for (const t of served.records) expect(t).toEqual(recordedTasks.get(t.taskId))
    // Recorded phone numbers stay cut: the fixture holds nothing the recording did not.
    for (const t of written.records) {
      for (const k of ['callingNumber', 'displayNum']) {
        const v = t[k]
        if (typeof v === 'string') expect(v).toMatch(/^\**\d{0,4}$/)
      }
    }
  })

  it('refuses a recording without task answers, a bad HAR and missing arguments: exit 2, one line', () => {
    const noTasks = join(tmp, 'no-tasks.har')
    const doc = JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }
    doc.log.entries = doc.log.entries.filter((e) => e._laaffic.operationId !== 'queryPreviewTasks')
    writeFileSync(noTasks, JSON.stringify(doc))
    const bad = join(tmp, 'bad.har')
    writeFileSync(bad, '{"log":{"entries":[{"request":{}}]}}')
    for (const [args, message] of [
      [[noTasks, '--out', join(tmp, 'x.json')], 'no task records'],
      [[bad, '--out', join(tmp, 'x.json')], 'entry 0: response is not an object'],
      [[join(tmp, 'missing.har'), '--out', join(tmp, 'x.json')], 'cannot read (ENOENT)'],
      [[har], '--out <fixtures.json> is required'],
      [['--out', join(tmp, 'x.json')], 'name the recording'],
      [[har, '--out', join(tmp, 'no-such-dir', 'x.json')], 'cannot write --out'],
      [[har, '--bogus'], "Unknown option '--bogus'"],
    ] as [string[], string][]) {
      const run = runImport(args)
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(run.stderr, args.join(' ')).toContain(message)
    }
  })
})

describe('fixturesFromHar', () => {
  const doc = () => JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }

  it('keeps each taskId once, its latest recorded state, and counts groups and seats', () => {
    const d = doc()
    const first = d.log.entries[0]
    if (!first) throw new Error('no entry')
    const page = JSON.parse(first.response.content.text ?? '')
    const changed = { ...page.data.records[0], remark: 'changed later' }
    d.log.entries.push({
      ...first,
      response: {
        ...first.response,
        content: {
          ...first.response.content,
          text: JSON.stringify({ ...page, data: { ...page.data, records: [changed] } }),
        },
      },
    })
    const result = fixturesFromHar(d, 'x', 480)
    expect(result.records).toHaveLength(23)
    expect(result.groups.length).toBeGreaterThan(0)
    expect(result.seats.length).toBeGreaterThan(0)
    expect(result.records.find((r) => r.taskId === changed.taskId)?.remark).toBe('changed later')
    expect(result.taskPages).toBe(5)
    expect(result.groupsSeen).toBeGreaterThan(0)
    expect(result.seatsSeen).toBeGreaterThan(0)
  })

  it('skips failed answers and refuses records --data would refuse', () => {
    const d = doc()
    const first = d.log.entries[0]
    if (!first) throw new Error('no entry')
    const page = JSON.parse(first.response.content.text ?? '')
    // A -18 answer is not a page of tasks.
    d.log.entries = [
      {
        ...first,
        response: {
          ...first.response,
          content: { ...first.response.content, text: '{"status":-18,"reason":"x"}' },
        },
      },
    ]
    expect(() => fixturesFromHar(d, 'x', 480)).toThrow(/no task records/)
    const broken = { ...page.data.records[0], createTime: 'yesterday' }
    d.log.entries = [
      {
        ...first,
        response: {
          ...first.response,
          content: {
            ...first.response.content,
            text: JSON.stringify({ ...page, data: { ...page.data, records: [broken] } }),
          },
        },
      },
    ]
    expect(() => fixturesFromHar(d, 'x', 480)).toThrow(OptionError)
    expect(() => fixturesFromHar(d, 'x', 480)).toThrow(/recorded task: record 0 .*createTime/)
  })
})
