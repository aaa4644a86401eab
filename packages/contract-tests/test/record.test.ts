import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { OPERATIONS, SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mockCliPath, type RunningProcess, startMockProcess } from '../src/processes.js'
import { envThroughProxy, RECORD_VAR, recordedWindowEnd, recordPath, workspaceRoot } from '../src/record.js'
import { NEVER_SENT_OPERATIONS } from '../src/write-guard.js'

/**
 * `pnpm contract --target sandbox --record <file>` end to end, offline: the "sandbox" is a mock
 * process with credentials of its own, the suite runs through `laaffic-mock proxy --record` as
 * it would in front of the vendor, and what lands in the file is searched.
 */
const tmp = mkdtempSync(join(tmpdir(), 'laaffic-contract-record-'))
const UP_KEY = `up${randomBytes(5).toString('hex')}`
const UP_SECRET = `s${randomBytes(10).toString('hex')}`
const packageDir = resolve(import.meta.dirname, '..')
let upstream: RunningProcess
let readOnlyHar: string | undefined
const children = new Set<ChildProcess>()

interface HarEntry {
  request: {
    method: string
    url: string
    headers: { name: string; value: string }[]
    postData?: { text: string }
  }
  response: { status: number; content: { text?: string } }
  _laaffic: { operationId: string; outcome: string }
}

/** The environment of this run without anything vitest or a real sandbox put there. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env))
    if (!/^(VITEST|LAAFFIC_|FC_|FORCE_COLOR)/.test(k)) env[k] = v
  return { ...env, NO_COLOR: '1', LAAFFIC_CONTRACT_REPORTS_DIR: join(tmp, 'reports'), ...extra }
}

/** Runs scripts/contract.mjs to its end (asynchronously: the mock's pipes must keep draining). */
function contract(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['scripts/contract.mjs', ...args], {
      cwd: packageDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(child)
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.once('close', (code) => {
      children.delete(child)
      done({ code, output })
    })
  })
}

const sandboxEnv = (writes: boolean) =>
  cleanEnv({
    LAAFFIC_BASE_URL: upstream.url,
    LAAFFIC_API_KEY: UP_KEY,
    LAAFFIC_API_SECRET: UP_SECRET,
    ...(writes ? { LAAFFIC_SANDBOX_WRITES: '1' } : {}),
  })

/** Method and path of every request in the upstream's journal, sorted; and how many it ever took. */
async function upstreamSaw(): Promise<{ total: number; requests: string[] }> {
  const res = await fetch(`${upstream.url}/__admin/requests?limit=20000`)
  const body = (await res.json()) as { total: number; requests: { method: string; path: string }[] }
  return {
    total: body.total,
    requests: body.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`).sort(),
  }
}

function readHar(file: string): { text: string; entries: HarEntry[] } {
  const text = readFileSync(file, 'utf8')
  const har = JSON.parse(text) as { log: { version: string; entries: HarEntry[] } }
  expect(har.log.version).toBe('1.2')
  return { text, entries: har.log.entries }
}

/** Every object in a parsed JSON value, at any depth. */
function* objects(value: unknown): Generator<Record<string, unknown>> {
  if (value === null || typeof value !== 'object') return
  if (!Array.isArray(value)) yield value as Record<string, unknown>
  for (const v of Object.values(value)) yield* objects(v)
}

/** What must never be in a recording: secrets, full keys, Signs, seat passwords, full phone numbers. */
function expectNothingSecret(text: string, entries: HarEntry[]) {
  for (const s of [UP_SECRET, UP_KEY, SIGNING_TEST_VECTOR.apiSecret]) expect(text).not.toContain(s)
  // A Sign is 32 hex digits; the only long hex runs allowed are the uploads' SHA-256 stand-ins.
  expect(text.replace(/sha256 [0-9a-f]{64}/g, '')).not.toMatch(/[0-9a-fA-F]{32}/)
  for (const e of entries) {
    const names = e.request.headers.map((h) => h.name.toLowerCase())
    expect(names).not.toContain('sign')
    const apiKey = e.request.headers.find((h) => h.name.toLowerCase() === 'api-key')?.value
    expect(apiKey).toMatch(/\*/)
    for (const body of [e.request.postData?.text, e.response.content.text]) {
      if (!body) continue
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        continue
      }
      for (const o of objects(parsed)) {
        if ('password' in o) expect([null, '[redacted]']).toContain(o.password)
        for (const k of ['callingNumber', 'displayNum'])
          if (typeof o[k] === 'string') expect(o[k]).not.toMatch(/\d{5}/)
      }
    }
  }
}

/** The run printed the proxy's URL; once it is over, nothing listens there any more. */
async function expectProxyGone(output: string) {
  const url = /sandbox through (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
  expect(url, output).toBeDefined()
  await expect(fetch(`${url}/__proxy/report`)).rejects.toThrow()
}

beforeAll(async () => {
  upstream = await startMockProcess([
    '--api-key',
    UP_KEY,
    '--api-secret',
    UP_SECRET,
    // A world unlike the mock's default one: a replay cannot pass by falling back to the mock.
    '--seed',
    '7',
    '--tasks',
    '400',
    '--journal-size',
    '20000',
    '--log-level',
    'warn',
  ])
}, 60_000)

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM')
  await upstream?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

describe('pnpm contract --target sandbox --record', () => {
  it('with writes on: the run passes through the proxy and the HAR holds every exchange the upstream saw, redacted', async () => {
    const file = join(tmp, 'recordings', 'sandbox.har')
    const run = await contract(['--target', 'sandbox', '--record', file], sandboxEnv(true))
    expect(run.code, run.output).toBe(0)
    // Every case ran and passed, but one: with writes on, the sandbox files skip only the
    // agent-task lifecycle walk (the suite never creates, edits or cancels a task there).
    expect(run.output).toMatch(/Test Files +3 passed \(3\)/)
    expect(run.output).toMatch(/Tests +\d+ passed \| 1 skipped \(\d+\)\n/)
    expect(run.output).not.toContain(UP_SECRET)
    const { text, entries } = readHar(file)
    expect(run.output).toContain(`recorded ${entries.length} exchange(s) to ${file}`)
    // One entry per request the upstream received, and nothing else (-1/-16 cases are
    // answered by the proxy itself and never reach the upstream).
    const recorded = entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`).sort()
    const saw = await upstreamSaw()
    expect(saw.requests).toHaveLength(saw.total)
    expect(recorded).toEqual(saw.requests)
    for (const e of entries) {
      expect(e._laaffic.outcome).toBe('forwarded')
      expect(e.request.url.startsWith(upstream.url)).toBe(true)
    }
    // The workflow and the upload ran: every operation of the kit, writes included, is in the
    // file, except the four agent-task writes, which the write guard never lets out.
    expect(new Set(entries.map((e) => e._laaffic.operationId))).toEqual(
      new Set(OPERATIONS.map((o) => o.id).filter((id) => !NEVER_SENT_OPERATIONS.includes(id))),
    )
    expectNothingSecret(text, entries)
    await expectProxyGone(run.output)
  }, 300_000)

  it('read-only (no LAAFFIC_SANDBOX_WRITES): only queries reach the proxy, and the recording shows it', async () => {
    await fetch(`${upstream.url}/__admin/requests`, { method: 'DELETE' })
    const file = join(tmp, 'read-only.har')
    const run = await contract(['--target', 'sandbox', '--record', file], sandboxEnv(false))
    expect(run.code, run.output).toBe(0)
    expect(run.output).toMatch(/Test Files +3 passed \(3\)/)
    const { text, entries } = readHar(file)
    expect(entries.length).toBeGreaterThan(0)
    // The journal was emptied before this run: it holds this run's requests only.
    const recorded = entries.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`).sort()
    expect(recorded).toEqual((await upstreamSaw()).requests)
    expect(new Set(entries.map((e) => e._laaffic.operationId))).toEqual(
      new Set(['queryPreviewTasks', 'querySeatGroups', 'querySeats']),
    )
    expectNothingSecret(text, entries)
    await expectProxyGone(run.output)
    readOnlyHar = file
  }, 300_000)

  it('the README workflow: laaffic-mock --replay serves that recording, the sandbox target passes against it from the recording, import makes --data fixtures', async () => {
    expect(readOnlyHar, 'the read-only recording above').toBeDefined()
    const file = readOnlyHar!
    const replay = await startMockProcess(['--replay', file, '--log-level', 'warn'])
    try {
      const run = await contract(
        ['--target', 'sandbox', '--replayed', file],
        cleanEnv({
          LAAFFIC_BASE_URL: replay.url,
          LAAFFIC_API_KEY: SIGNING_TEST_VECTOR.apiKey,
          LAAFFIC_API_SECRET: SIGNING_TEST_VECTOR.apiSecret,
        }),
      )
      expect(run.code, run.output).toBe(0)
      expect(run.output).toMatch(/Test Files +3 passed \(3\)/)
      // Everything but the local -1/-16 checks (answered before a recording is consulted) came
      // from the recording: the same bodies as the recorded run, date windows included.
      const res = await fetch(`${replay.url}/__admin/requests?limit=20000`)
      const journal = (await res.json()) as {
        requests: { path: string; status: number | null; forced: string | null }[]
      }
      const fromMock = journal.requests.filter(
        (r) => r.forced !== 'replay' && r.status !== -1 && r.status !== -16,
      )
      expect(fromMock.map((r) => r.path)).toEqual([])
      expect(journal.requests.filter((r) => r.forced === 'replay').length).toBeGreaterThan(10)
    } finally {
      await replay.stop()
    }
    const fixtures = join(tmp, 'fixtures.json')
    const imported = spawnSync(process.execPath, [mockCliPath(), 'import', file, '--out', fixtures], {
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(imported.status, imported.stderr).toBe(0)
    const records = (JSON.parse(readFileSync(fixtures, 'utf8')) as { records: unknown[] }).records
    expect(records.length).toBeGreaterThan(0)
  }, 300_000)

  it('refuses --record without the sandbox target or its variables (exit 2, one line)', () => {
    const env = cleanEnv({})
    const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, ['scripts/contract.mjs', ...args], {
        cwd: packageDir,
        env: { ...env, ...extra },
        encoding: 'utf8',
        timeout: 60_000,
      })
    const notSandbox = run(['--target', 'mock', '--record', join(tmp, 'x.har')])
    expect(notSandbox.status).toBe(2)
    expect(notSandbox.stderr).toContain('add --target sandbox')
    const unset = run(['--target', 'sandbox'], { [RECORD_VAR]: join(tmp, 'y.har') })
    expect(unset.status).toBe(2)
    expect(unset.stderr).toMatch(/--record needs the sandbox: set LAAFFIC_BASE_URL/)
  })
})

describe('record.ts', () => {
  it('reads the recorded date windows back (UTC+8 wall clock), or nothing without a seat query', () => {
    const entry = (url: string, body: unknown) => ({
      request: { url, postData: { text: JSON.stringify(body) } },
    })
    const har = (...entries: unknown[]) => JSON.stringify({ log: { entries } })
    const end = Date.parse('2026-12-01T21:30:05Z')
    expect(
      recordedWindowEnd(
        har(
          entry('https://x/v3/cc/seatGroup/query', { params: { endTime: '2000-01-01 00:00:00' } }),
          entry('https://x/v3/cc/seat/query', {
            current: 1,
            params: { strTime: 'a', endTime: '2026-12-02 05:30:05' },
          }),
        ),
      ),
    ).toBe(end)
    expect(recordedWindowEnd(har(entry('https://x/v3/cc/preview/query', {})))).toBeUndefined()
    expect(recordedWindowEnd(har())).toBeUndefined()
  })

  it('takes a relative path from the repository root, an absolute one as it is', () => {
    const root = workspaceRoot(packageDir)
    expect(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')).toContain('packages')
    expect(recordPath({ [RECORD_VAR]: 'recordings/sandbox.har' }, root)).toBe(
      join(root, 'recordings', 'sandbox.har'),
    )
    expect(recordPath({ [RECORD_VAR]: '/tmp/a.har' }, root)).toBe('/tmp/a.har')
    expect(recordPath({ [RECORD_VAR]: '  ' }, root)).toBeUndefined()
    expect(recordPath({}, root)).toBeUndefined()
  })

  it('the suite sees only the proxy and its run-local credentials', () => {
    const env = envThroughProxy(
      {
        LAAFFIC_BASE_URL: 'https://vendor.example',
        LAAFFIC_API_KEY: 'realKey',
        LAAFFIC_API_SECRET: 'realSecret',
        LAAFFIC_SANDBOX_WRITES: '1',
        LAAFFIC_SANDBOX_APP_ID: '42',
        [RECORD_VAR]: 'x.har',
      },
      { url: 'http://127.0.0.1:1234', apiKey: 'lkitabc', apiSecret: 'local' },
    )
    expect(env).toEqual({
      LAAFFIC_BASE_URL: 'http://127.0.0.1:1234',
      LAAFFIC_API_KEY: 'lkitabc',
      LAAFFIC_API_SECRET: 'local',
      LAAFFIC_SANDBOX_WRITES: '1',
      LAAFFIC_SANDBOX_APP_ID: '42',
    })
    expect(JSON.stringify(env)).not.toContain('real')
  })
})
