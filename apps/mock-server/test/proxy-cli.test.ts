import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SpawnedServer } from '@laaffic-kit/test-utils'
import { spawnUntilUrl } from '@laaffic-kit/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callerHeaders, cli, ensureBuilt, spawnUpstream, UP_KEY, UP_SECRET } from './proxy-helpers.js'

const tmp = mkdtempSync(join(tmpdir(), 'laaffic-proxy-cli-'))
const running: SpawnedServer[] = []
let upstream: SpawnedServer
const UPSTREAM_ENV = { LAAFFIC_API_KEY: UP_KEY, LAAFFIC_API_SECRET: UP_SECRET }

beforeAll(async () => {
  ensureBuilt()
  upstream = await spawnUpstream()
  running.push(upstream)
}, 120_000)

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()))
})

/** Runs `laaffic-mock proxy …` to completion (for the ones that must refuse to start). */
function refuse(args: string[], env: Record<string, string> = UPSTREAM_ENV) {
  const env0 = { ...process.env, LAAFFIC_API_KEY: '', LAAFFIC_API_SECRET: '', ...env }
  const r = spawnSync(process.execPath, [cli, 'proxy', ...args], {
    env: env0,
    encoding: 'utf8',
    timeout: 20_000,
  })
  return { status: r.status, stderr: r.stderr, stdout: r.stdout }
}

describe('laaffic-mock proxy (CLI)', () => {
  it('prints its URL first, forwards re-signed, records, and prints the report on SIGTERM', async () => {
    const file = join(tmp, 'cli.har')
    const proxy = await spawnUntilUrl(
      process.execPath,
      [cli, 'proxy', '--upstream', upstream.url, '--port', '0', '--host', '127.0.0.1', '--record', file],
      { env: UPSTREAM_ENV, name: 'laaffic-mock proxy', timeoutMs: 20_000 },
    )
    running.push(proxy)
    expect(proxy.stdoutLines[0]).toContain(proxy.url)
    const res = await fetch(`${proxy.url}/v3/cc/seatGroup/query`, {
      method: 'POST',
      headers: callerHeaders().headers,
      body: JSON.stringify({ current: 1, size: 5, params: {} }),
    })
    expect(await res.json()).toMatchObject({ status: 0 })
    // Written before the answer went out: readable now, while the proxy still runs.
    const har = JSON.parse(readFileSync(file, 'utf8')) as {
      log: { entries: { _laaffic: { operationId: string } }[] }
    }
    expect(har.log.entries.map((e) => e._laaffic.operationId)).toEqual(['querySeatGroups'])
    const exit = await proxy.stop()
    expect(exit.code).toBe(0)
    const out = proxy.output()
    expect(out).toMatch(/report \{"querySeatGroups":\{"requests":1,"rejectedLocally":0,"forwarded":1/)
    expect(out).not.toContain(UP_SECRET)
    expect(out).not.toContain(UP_KEY)
  })

  it('a killed proxy (SIGKILL) leaves a complete recording', async () => {
    const file = join(tmp, 'killed.har')
    const proxy = await spawnUntilUrl(
      process.execPath,
      [cli, 'proxy', '--upstream', upstream.url, '--port', '0', '--host', '127.0.0.1', '--record', file],
      { env: UPSTREAM_ENV, name: 'laaffic-mock proxy', timeoutMs: 20_000 },
    )
    running.push(proxy)
    for (const current of [1, 2]) {
      const res = await fetch(`${proxy.url}/v3/cc/seatGroup/query`, {
        method: 'POST',
        headers: callerHeaders().headers,
        body: JSON.stringify({ current, size: 5, params: {} }),
      })
      await res.text()
    }
    proxy.child.kill('SIGKILL')
    expect((await proxy.exited).signal).toBe('SIGKILL')
    const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { version: string; entries: unknown[] } }
    expect(har.log.version).toBe('1.2')
    expect(har.log.entries).toHaveLength(2)
  })

  it('--help: the mock names the proxy command, and the proxy explains itself', () => {
    const mock = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 20_000 })
    expect(mock.stdout).toContain('laaffic-mock proxy --upstream')
    const r = refuse(['--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('--record <file.har>')
    expect(r.stdout).toContain('LAAFFIC_API_KEY')
  })

  it.each([
    [['--upstream', 'http://127.0.0.1:9'], {}, /LAAFFIC_API_KEY and LAAFFIC_API_SECRET/],
    [[], UPSTREAM_ENV, /--upstream <base-url> is required/],
    [['--upstream', 'ftp://127.0.0.1:9'], UPSTREAM_ENV, /http:\/\/ or https:\/\//],
    [['--upstream', 'http://u:p@127.0.0.1:9'], UPSTREAM_ENV, /must not carry credentials/],
    [['--upstream', 'http://127.0.0.1:9', '--bogus'], UPSTREAM_ENV, /unknown option --bogus/],
    [['--upstream', 'http://127.0.0.1:9', '--port', 'x'], UPSTREAM_ENV, /--port/],
    [['--upstream', 'http://127.0.0.1:9', '--upstream-timeout', '0'], UPSTREAM_ENV, /--upstream-timeout/],
  ])('refuses %j with one line and exit 2', (args, env, message) => {
    const r = refuse(args, env)
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toContain(UP_SECRET)
  })
})
