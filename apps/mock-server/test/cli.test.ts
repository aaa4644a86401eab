import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { computeSign, ENDPOINT_PATH } from '@laaffic-kit/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VENDOR_EXAMPLE_TASK } from '../src/dataset.js'
import { NOW, validator } from './helpers.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'dist', 'cli.js')
const children: ChildProcess[] = []
const tmp = mkdtempSync(join(tmpdir(), 'laaffic-mock-'))

beforeAll(() => {
  // The CLI runs from dist/: build it so the test exercises the shipped code.
  const build = spawnSync('pnpm', ['build'], { cwd: root, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`)
}, 120_000)

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Starts the CLI and resolves with its first stdout line. */
function start(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; first: string }> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (first) => resolve({ child, first }))
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening`)))
  })
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((r) => child.once('exit', (code) => r(code)))

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  })
}

describe('laaffic-mock CLI', () => {
  it('prints the URL first, answers over HTTP and exits 0 on SIGTERM', async () => {
    const { child, first } = await start(['--port', '0', '--now', String(NOW), '--tasks', '100'])
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
    const done = exitCode(child)
    child.kill('SIGTERM')
    expect(await done).toBe(0)
  })

  it('prints a JSON listening event first with --log-format json, settable by env', async () => {
    const { child, first } = await start([], { LAAFFIC_MOCK_PORT: '0', LAAFFIC_MOCK_LOG_FORMAT: 'json' })
    const event = JSON.parse(first) as { event: string; url: string; apiSecret: string }
    expect(event.event).toBe('listening')
    expect(event.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(first).not.toContain('7bz1lzh9')
    const done = exitCode(child)
    child.kill('SIGINT')
    expect(await done).toBe(0)
  })

  it('prints a curl command that works as printed for the public example account', async () => {
    const { child, first } = await start(['--port', '0', '--log-format', 'json', '--now', String(NOW)])
    const event = JSON.parse(first) as { curl: string }
    // Run the printed command itself, through a shell, exactly as a user would paste it.
    const out = spawnSync('sh', ['-c', event.curl], { encoding: 'utf8', timeout: 10_000 })
    const body = JSON.parse(out.stdout) as { status: number; data: { total: number } }
    expect(body.status).toBe(0)
    expect(body.data.total).toBeGreaterThan(0)
    child.kill('SIGTERM')
  })

  it('never prints a Sign for a real secret', async () => {
    const secret = 'RealSecret123'
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--api-secret', secret, '--now', String(NOW)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    children.push(child)
    let text = ''
    const collect = (chunk: Buffer) => {
      text += chunk.toString()
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    // The banner ends with the curl line; wait for it rather than for a fixed time.
    for (let i = 0; i < 200 && !text.includes('curl '); i++) await new Promise((r) => setTimeout(r, 50))
    expect(text).toContain('curl ')
    expect(text).not.toContain(secret)
    expect(text).not.toContain(computeSign('bDqJFiq9', secret, NOW))
    expect(text).toContain('<md5(Api-Key + apiSecret + Timestamp)>')
    child.kill('SIGTERM')
  })

  it('drops the socket for X-Mock-Fault: reset', async () => {
    const { child, first } = await start(['--port', '0', '--quiet'])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    await expect(
      fetch(`${url}${ENDPOINT_PATH}`, { method: 'POST', headers: { 'X-Mock-Fault': 'reset' } }),
    ).rejects.toThrow()
    const ok = await fetch(`${url}/healthz`)
    expect(ok.status).toBe(200)
    child.kill('SIGTERM')
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
    const { child, first } = await start(['--config', file, '--port', '0'])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    const health = (await (await fetch(`${url}/healthz`)).json()) as { tasks: number }
    expect(health.tasks).toBe(12)
    child.kill('SIGTERM')
    writeFileSync(file, JSON.stringify({ nope: 1 }))
    const bad = run(['--config', file])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('unknown key "nope"')
  })

  it('serves --data fixtures and rejects a bad fixture naming record and field', async () => {
    const good = join(tmp, 'good.json')
    writeFileSync(good, JSON.stringify([VENDOR_EXAMPLE_TASK]))
    const { child, first } = await start(['--port', '0', '--data', good])
    const url = /http:\/\/[\d.:]+/.exec(first)![0]
    expect(((await (await fetch(`${url}/healthz`)).json()) as { tasks: number }).tasks).toBe(1)
    child.kill('SIGTERM')
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
  })
})
