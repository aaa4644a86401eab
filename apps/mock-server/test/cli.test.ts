import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { computeSign, ENDPOINT_PATH } from '@laaffic-kit/protocol'
import { type SpawnedServer, spawnUntilUrl } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VENDOR_EXAMPLE_TASK } from '../src/dataset.js'
import { NOW, validator } from './helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'dist', 'cli.js')
const servers: SpawnedServer[] = []
const tmp = mkdtempSync(join(tmpdir(), 'laaffic-mock-'))

beforeAll(() => {
  // The CLI runs from dist/: build it so the test exercises the shipped code.
  const build = spawnSync('pnpm', ['build'], { cwd: root, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`)
}, 120_000)

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()))
})

/**
 * Starts the CLI and resolves once a stdout line carries its URL, with the first stdout line
 * (the tests check that the URL is on it). Rejects when the CLI exits first.
 */
async function start(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ server: SpawnedServer; first: string }> {
  const server = await spawnUntilUrl(process.execPath, [cli, ...args], {
    env,
    name: 'laaffic-mock',
    timeoutMs: 20_000,
  })
  servers.push(server)
  return { server, first: server.stdoutLines[0] ?? '' }
}

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  })
}

describe('laaffic-mock CLI', () => {
  it('prints the URL first, answers over HTTP and exits 0 on SIGTERM', async () => {
    const { server, first } = await start(['--port', '0', '--now', String(NOW), '--tasks', '100'])
    const url = /http:\/\/127\.0\.0\.1:(\d+)/.exec(first)
    expect(url).not.toBeNull()
    const res = await fetch(`${url![0]}${ENDPOINT_PATH}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Api-Key': 'bDqJFiq9',
        Timestamp: String(NOW),
        Sign: computeSign('bDqJFiq9', '7bz1lzh9', NOW),
      },
      body: JSON.stringify({ current: 1, size: 15, params: { taskId: '5000525' } }),
    })
    const body = (await res.json()) as { status: number; data: { total: number } }
    expect(validator.errors('QueryResponse', body)).toEqual([])
    expect(body.status).toBe(0)
    expect(body.data.total).toBe(1)
    // stop() sends SIGTERM and escalates to SIGKILL only if the CLI ignores it (then code is null).
    expect(await server.stop()).toEqual({ code: 0, signal: null })
  })

  it('prints a JSON listening event first with --log-format json, settable by env', async () => {
    const { server, first } = await start([], { LAAFFIC_MOCK_PORT: '0', LAAFFIC_MOCK_LOG_FORMAT: 'json' })
    const event = JSON.parse(first) as { event: string; url: string; apiSecret: string }
    expect(event.event).toBe('listening')
    expect(event.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first).not.toContain('7bz1lzh9')
    server.child.kill('SIGINT')
    expect(await server.exited).toEqual({ code: 0, signal: null })
  })

  it('prints a curl command that works as printed for the public example account', async () => {
    const { server, first } = await start(['--port', '0', '--log-format', 'json', '--now', String(NOW)])
    const event = JSON.parse(first) as { curl: string }
    // Run the printed command itself, through a shell, exactly as a user would paste it.
    const out = spawnSync('sh', ['-c', event.curl], { encoding: 'utf8', timeout: 10_000 })
    const body = JSON.parse(out.stdout) as { status: number; data: { total: number } }
    expect(body.status).toBe(0)
    expect(body.data.total).toBeGreaterThan(0)
    await server.stop()
  })

  it('never prints a Sign for a real secret', async () => {
    const secret = 'RealSecret123'
    const { server } = await start(['--port', '0', '--api-secret', secret, '--now', String(NOW)])
    // The banner ends with the curl line; wait for it rather than for a fixed time.
    const text = await server.waitForOutput('curl ')
    expect(text).toContain('curl ')
    expect(text).not.toContain(secret)
    expect(text).not.toContain(computeSign('bDqJFiq9', secret, NOW))
    expect(text).toContain('<md5(Api-Key + apiSecret + Timestamp)>')
    await server.stop()
  })

  it('drops the socket for X-Mock-Fault: reset', async () => {
    const { server, first } = await start(['--port', '0', '--quiet'])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    await expect(
      fetch(`${url}${ENDPOINT_PATH}`, { method: 'POST', headers: { 'X-Mock-Fault': 'reset' } }),
    ).rejects.toThrow()
    const ok = await fetch(`${url}/healthz`)
    expect(ok.status).toBe(200)
    await server.stop()
  })

  it.each([
    [['--port', 'abc'], '--port must be an integer between 0 and 65535'],
    [['--bogus'], 'unknown option --bogus'],
    [['--status-type', 'bool'], '--status-type must be one of number|string'],
    [['--latency', '5-1'], '--latency must be milliseconds or a range'],
    [['--allow-ip', '300.1.1.1'], '--allow-ip has an invalid IP'],
    [['--utc-offset', 'Mars'], '--utc-offset must be a UTC offset'],
    [['--port'], '--port needs a value'],
    [['--config', '/nonexistent.json'], 'cannot read'],
    [['--seat-query', 'all'], '--seat-query must be one of range|legacy'],
    [['--missing-id-status', '22'], '--missing-id-status must be an integer between -999 and -1'],
    [['--port', '--tasks', '5'], '--port needs a value'],
    [['--help=yes'], '--help takes no value'],
    [['--port', '0', 'stray'], 'unexpected argument #3'],
  ])('%j → exit 2 and one line on stderr', (args, message) => {
    const r = run(args)
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(message)
  })

  it('rejects a bad env value naming the variable', () => {
    const r = run([], { LAAFFIC_MOCK_TASKS: '-5' })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('LAAFFIC_MOCK_TASKS must be an integer')
  })

  it('never repeats a mistyped secret in an option error', () => {
    const file = join(tmp, 'secret.json')
    writeFileSync(file, JSON.stringify({ apiSecret: 74391029 }))
    const r = run(['--config', file])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('apiSecret')
    expect(r.stderr).not.toContain('74391029')
  })

  it('reads a --config file, with command line winning', async () => {
    const file = join(tmp, 'config.json')
    writeFileSync(file, JSON.stringify({ port: 1, tasks: 12, statusType: 'string' }))
    const { server, first } = await start(['--config', file, '--port', '0'])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    const health = (await (await fetch(`${url}/healthz`)).json()) as { tasks: number }
    expect(health.tasks).toBe(12)
    await server.stop()
    writeFileSync(file, JSON.stringify({ nope: 1 }))
    const bad = run(['--config', file])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('unknown key "nope"')
  })

  it('serves --data fixtures and rejects a bad fixture naming record and field', async () => {
    const good = join(tmp, 'good.json')
    writeFileSync(good, JSON.stringify([VENDOR_EXAMPLE_TASK]))
    const { server, first } = await start(['--port', '0', '--data', good])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    expect(((await (await fetch(`${url}/healthz`)).json()) as { tasks: number }).tasks).toBe(1)
    await server.stop()
    const bad = join(tmp, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({
        records: [VENDOR_EXAMPLE_TASK, { ...VENDOR_EXAMPLE_TASK, taskId: 8, numberTotalCount: 1 }],
      }),
    )
    const r = run(['--port', '0', '--data', bad])
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('record 1 (taskId 8): /numberTotalCount must be string')
  })

  it('prints --help and exits 0', () => {
    const r = run(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('--timestamp-window')
    expect(r.stdout).toContain('LAAFFIC_MOCK_API_KEY')
    expect(r.stdout).toContain('--seat-query range|legacy')
    expect(r.stdout).toContain('LAAFFIC_MOCK_MISSING_ID_STATUS')
    expect(r.stdout).toContain('apps/mock-server/README.md')
    expect(r.stdout).not.toContain('REFERENCE.md')
  })

  it('takes a leading -- (as pnpm passes it) and negative codes; /__admin/config shows the new options', async () => {
    const { server } = await start([
      '--',
      '--port',
      '0',
      '--quiet',
      '--missing-id-status',
      '-24',
      '--seat-query=legacy',
      '--seats',
      '7',
    ])
    const config = (await (await fetch(`${server.url}/__admin/config`)).json()) as Record<string, unknown>
    expect(config).toMatchObject({
      missingIdStatus: -24,
      seatQuery: 'legacy',
      seats: 7,
      seatQueryMaxDays: 32,
      duplicateGroupStatus: -20,
      seatQuota: 500,
      groupNameMatch: 'contains',
      maxAccounts: 100,
      accountTasks: 1000,
    })
    expect(JSON.stringify(config)).not.toContain('7bz1lzh9')
    await server.stop()
  })

  it('/__admin/config reports the port actually bound after --port 0', async () => {
    const { server } = await start(['--port', '0', '--quiet'])
    expect(server.port).toBeGreaterThan(0)
    const config = (await (await fetch(`${server.url}/__admin/config`)).json()) as { port: number }
    expect(config.port).toBe(server.port)
    await server.stop()
  })
})
