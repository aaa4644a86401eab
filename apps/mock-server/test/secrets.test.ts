import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeSign, ENDPOINT_PATH } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { createMockApp } from '../src/app.js'
import { parseCliArgs } from '../src/cli-args.js'
import { Journal } from '../src/journal.js'
import { silentLogger } from '../src/log.js'
import { maskSecret } from '../src/options.js'
import { KEY, NOW, SECRET, signed } from './helpers.js'

// Each case is a way a secret or Sign once got out (found by probing the running mock).
const appWith = (apiSecret: string = SECRET) =>
  createMockApp({ tasks: 5, now: NOW, logger: silentLogger, apiKey: KEY, apiSecret })
const signFor = (secret: string) => computeSign(KEY, secret, NOW)
const headersFor = (secret: string, extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/json',
  'Api-Key': KEY,
  Timestamp: String(NOW),
  Sign: signFor(secret),
  ...extra,
})
const journalText = async (app: ReturnType<typeof appWith>) => (await app.request('/__admin/requests')).text()
const sendJson = (app: ReturnType<typeof appWith>, path: string, method: string, body: unknown) =>
  app.request(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

describe('no secret or Sign gets out', () => {
  it('admin scenarios: neither the 201, the list nor an error repeats them', async () => {
    const app = appWith()
    const sign = signed()['Sign']!
    const created = await sendJson(app, '/__admin/scenarios', 'POST', {
      status: -18,
      match: { apiKey: SECRET, params: { taskId: sign, [SECRET]: 1 } },
    })
    expect(created.status).toBe(201)
    const shown = [
      await created.text(),
      await (await app.request('/__admin/scenarios')).text(),
      await (
        await sendJson(app, '/__admin/scenarios', 'POST', { status: -18, match: { [SECRET]: 1 } })
      ).text(),
      await (await sendJson(app, '/__admin/scenarios', 'POST', { status: -18, [sign]: 1 })).text(),
      await (await sendJson(app, '/__admin/clock', 'PUT', { [SECRET]: 1 })).text(),
    ]
    for (const text of shown) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(sign)
    }
    // the scenario still matches on the real value
    const res = await app.request(ENDPOINT_PATH, {
      method: 'POST',
      headers: { ...signed(), 'Api-Key': SECRET },
      body: JSON.stringify({ current: 1, size: 1, params: { taskId: sign, [SECRET]: 1 } }),
    })
    expect(((await res.json()) as { status: number }).status).not.toBe(0)
  })

  it('-22 reasons: a field name is redacted before it is cut at 40 characters', async () => {
    const app = appWith()
    const sign = signed()['Sign']!
    for (const key of [`${'x'.repeat(35)}${SECRET}`, `${'x'.repeat(9)}${sign}`]) {
      for (const body of [{ [key]: 1 }, { current: 1, size: 1, params: { [key]: 1 } }]) {
        const res = await app.request(ENDPOINT_PATH, {
          method: 'POST',
          headers: signed(),
          body: JSON.stringify(body),
        })
        const text = await res.text()
        expect(text).toContain('unknown field')
        expect(text).not.toContain(SECRET.slice(0, 5))
        expect(text).not.toMatch(/[0-9a-f]{16}/)
      }
    }
  })

  it('a Sign inside a longer hex run and a hex secret go whole; names in any case', async () => {
    const hexSecret = '0123456789abcdef0123456789abcdef01234567'
    const app = appWith(hexSecret)
    const sign = signFor(hexSecret)
    await app.request(ENDPOINT_PATH, {
      method: 'POST',
      headers: headersFor(hexSecret, {
        'X-Trace': `${'0'.repeat(31)}${sign}`,
        [`X-${hexSecret.toUpperCase()}`]: '1',
      }),
      body: JSON.stringify({ current: 1, size: 1, x: `f${sign.toUpperCase()}` }),
    })
    const notFound = await (await app.request(`/x/${hexSecret}`, { method: 'POST' })).text()
    for (const text of [await journalText(app), notFound]) {
      expect(text).not.toContain(hexSecret.slice(-8))
      expect(text).not.toContain(sign.slice(-12))
      expect(text.toLowerCase()).not.toContain(sign.slice(-12))
    }
  })

  it('a numeric secret spelled differently in a JSON number, and one split over repeated headers', async () => {
    const app = appWith('12345678')
    await app.request(ENDPOINT_PATH, {
      method: 'POST',
      headers: headersFor('12345678'),
      body: '{"current":1234567.8e1,"size":1}',
    })
    expect(await journalText(app)).not.toContain('12345678')
    const journal = new Journal(2, 'ab, cd')
    journal.add({
      timeMs: 0,
      requestId: 'mock-1',
      method: 'POST',
      path: '/',
      headers: ['X-A', 'ab', 'X-A', 'cd'],
      bodyText: undefined,
      httpStatus: 200,
      status: 0,
      forced: null,
      durationMs: 0,
    })
    expect(JSON.stringify(journal.list())).not.toContain('ab, cd')
  })

  it('a percent-encoded secret with reserved characters in a path', async () => {
    const app = appWith('p@ss:w0rd')
    const notFound = await (await app.request('/x/p%40ss%3Aw0rd', { method: 'POST' })).text()
    for (const text of [notFound, await journalText(app)]) {
      expect(text).not.toContain('p%40ss%3Aw0rd')
      expect(text).not.toContain('p@ss:w0rd')
      expect(text).toContain('[redacted]')
    }
  })

  it('an escaped secret in a body too long to parse, and the mask of a short secret', async () => {
    const app = appWith()
    const escaped = `${SECRET.slice(0, 3)}\\u00${SECRET.charCodeAt(3).toString(16)}${SECRET.slice(4)}`
    await app.request(ENDPOINT_PATH, {
      method: 'POST',
      headers: signed(),
      body: `{"pad":"${'p'.repeat(5000)}","x":"${escaped}"}`.replace('"pad"', `"x":"${escaped}","pad"`),
    })
    const { requests } = JSON.parse(await journalText(app)) as { requests: { body: string }[] }
    expect(requests[0]?.body).toContain('[redacted]')
    expect(requests[0]?.body).not.toContain(escaped)
    expect(requests[0]?.body).not.toContain(SECRET)
    expect(maskSecret('abc')).toBe('***')
    expect(maskSecret('abcdefg')).toBe('*******')
    expect(maskSecret('7bz1lzh9')).toBe('7******9')
  })

  it('CLI errors never repeat a token that may be the secret', () => {
    const message = (argv: string[]) => {
      try {
        parseCliArgs(argv)
      } catch (err) {
        return (err as Error).message
      }
      return 'no error'
    }
    for (const argv of [
      ['--apiSecret=S3cr3t-Value'],
      ['--API-SECRET=S3cr3t-Value'],
      ['-api-secret=S3cr3t-Value'],
      ['--api-secret', 'S3cr3t-Value', 'S3cr3t-Value'],
    ]) {
      const m = message(argv)
      expect(m, argv.join(' ')).toContain('unexpected argument')
      expect(m).not.toContain('S3cr3t')
    }
    const config = join(tmpdir(), `laaffic-secret-${process.pid}.json`)
    writeFileSync(config, '{"apiSecret":S3cr3t-Value}')
    const m = message(['--config', config])
    rmSync(config, { force: true })
    expect(m).toContain('not valid JSON')
    expect(m).not.toContain('S3cr3t')
  })
})

describe('redaction with many accounts', () => {
  it('finds any of thousands of secrets in any letter case, overlapping ones merged, non-ASCII too', async () => {
    const { redactSecrets } = await import('../src/faults.js')
    const secrets = Array.from({ length: 5000 }, (_, i) => `Sec${String(i).padStart(13, '0')}`)
    secrets.push('7bz1lzh9', 'pässwörd', 'abcdefgh', 'efghijkl')
    const text = `a ${secrets[4321]} b ${secrets[17]?.toUpperCase()} c 7BZ1LZH9 d PÄSSWÖRD e ABCDEFGHIJKLm Sec000000000001`
    const out = redactSecrets(text, secrets)
    // Overlapping finds (abcdefgh, efghijkl) merge into one; a 15-character near miss stays.
    expect(out).toBe('a [redacted] b [redacted] c [redacted] d [redacted] e [redacted]m Sec000000000001')
  })
})
