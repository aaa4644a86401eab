import { inspect } from 'node:util'
import { computeSign } from '@laaffic-kit/protocol'
import { describe, expect, it, vi } from 'vitest'
import {
  type LaafficApiError,
  LaafficConnectionError,
  LaafficHttpError,
  type Logger,
  ParameterError,
} from '../src/index.js'
import { captureLogger, client, fail, KEY, ok, SECRET, stubFetch, views } from './helpers.js'

const NOW = 1_700_000_000_000
const SIGN = computeSign(KEY, SECRET, NOW / 1000)
const Q = { current: 1, size: 15, params: {} }

describe('no secret or Sign leaks', () => {
  const cases: Array<[string, () => Response | Error | ((req: Request) => Response)]> = [
    ['in-band -1', () => fail(-1, 'Account authentication exception')],
    ['in-band unknown', () => fail(-15, 'frequent')],
    ['HTTP 500', () => new Response('oops', { status: 500 })],
    ['malformed JSON', () => new Response('{', { status: 200 })],
    // A hostile fetch that puts the whole Request (and so its headers) on the error it throws.
    [
      'connection error carrying the request',
      () => (req: Request) => {
        throw Object.assign(new TypeError(`fetch failed`), { request: req, cause: { request: req } })
      },
    ],
  ]

  for (const [name, answer] of cases) {
    it(`${name}: error views and logs contain neither`, async () => {
      const { logger, lines } = captureLogger()
      const { fetch, requests } = stubFetch(answer())
      const err = await client({ fetch, now: () => NOW, logger, sleep: async () => {} })
        .queryTasks(Q)
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(Error)
      expect(requests[0]!.headers.get('Sign')).toBe(SIGN) // we are looking for the right string
      for (const view of [...views(err), ...lines]) {
        expect(view).not.toContain(SECRET)
        expect(view).not.toContain(SIGN)
      }
      expect(lines.length).toBeGreaterThan(0)
    })
  }

  // The vendor names an unknown field in `reason`; a field named like the secret or the Sign
  // must not carry either into the error. `escape` sends the echo as \u escapes, which only
  // the parsed strings show.
  for (const [what, field] of [
    ['the secret', SECRET],
    ['the Sign', SIGN],
  ] as const) {
    for (const escaped of [false, true]) {
      it(`a server echoing ${what}${escaped ? ' (\\u-escaped)' : ''} in reason, body and an HTTP error`, async () => {
        const echo = async (req: Request, status: number) => {
          const { params } = (await req.json()) as { params: Record<string, unknown> }
          const name = Object.keys(params)[0]!
          const text = JSON.stringify({
            status: -22,
            reason: `Parameter exception: unknown field "params.@@"`,
            data: { fields: ['@@'], '@@': 1 },
          })
          const shown = escaped
            ? [...name].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
            : name
          return new Response(text.replaceAll('@@', shown), { status })
        }
        for (const status of [200, 400]) {
          const { logger, lines } = captureLogger()
          const { fetch } = stubFetch((req) => echo(req, status))
          const err = await client({ fetch, now: () => NOW, logger })
            .queryTasks({ current: 1, size: 15, params: { [field]: 1 } } as never)
            .catch((e: unknown) => e)
          expect(err).toBeInstanceOf(status === 200 ? ParameterError : LaafficHttpError)
          const all = [...views(err), JSON.stringify((err as LaafficApiError).body) ?? '', ...lines]
          for (const view of all) {
            expect(view).not.toContain(SECRET)
            expect(view).not.toContain(SIGN)
          }
          if (status === 200) {
            expect((err as LaafficApiError).reason).toBe(
              'Parameter exception: unknown field "params.[redacted]"',
            )
          } else if (!escaped) expect((err as LaafficHttpError).bodyExcerpt).toContain('[redacted]')
        }
      })
    }
  }

  it('a custom fetch whose error quotes the Sign and the secret: scrubbed from the whole cause chain', async () => {
    const { fetch } = stubFetch((req) => {
      const quoted = `${req.headers.get('Sign')} ${SECRET}`
      throw new TypeError(`refused ${quoted}`, { cause: new Error(`inner ${quoted}`) })
    })
    const err = await client({ fetch, now: () => NOW, maxRetries: 0 })
      .queryTasks(Q)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LaafficConnectionError)
    expect((err as Error).message).toBe('Connection error: refused [redacted] [redacted] (api.laaffic.com)')
    for (const view of views(err)) {
      expect(view).not.toContain(SECRET)
      expect(view).not.toContain(SIGN)
    }
  })

  it('toJSON is a plain, useful object', async () => {
    const { fetch } = stubFetch(fail('-22', 'size out of range', { 'x-request-id': 'abc' }))
    const err = (await client({ fetch })
      .queryTasks(Q)
      .catch((e: unknown) => e)) as LaafficApiError
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: 'ParameterError',
      message: 'LAAFFIC API error -22: size out of range',
      code: -22,
      reason: 'size out of range',
      httpStatus: 200,
      requestId: 'abc',
      // The operation and what the code means on it (its status table) are part of the log view.
      operation: 'queryPreviewTasks',
      meaning: 'parameter error',
    })
    const http = new LaafficHttpError({ httpStatus: 502, bodyExcerpt: 'bad gateway' })
    expect(JSON.parse(JSON.stringify(http))).toMatchObject({ name: 'LaafficHttpError', httpStatus: 502 })
    expect(JSON.parse(JSON.stringify(new LaafficConnectionError()))).toEqual({
      name: 'LaafficConnectionError',
      message: 'Connection error',
    })
  })

  it('the logger scrubs a secret or Sign even if one is passed to it', async () => {
    const { logger, lines } = captureLogger()
    const { fetch } = stubFetch(ok())
    const c = client({ fetch, logger })
    await c.queryTasks(Q)
    expect(lines.some((l) => l.includes('attempt 1'))).toBe(true)
    // Reach the wrapped logger through a failing request whose reason echoes secrets.
    const { fetch: f2 } = stubFetch(fail(-18, `echo ${SECRET} ${SIGN}`))
    await client({ fetch: f2, logger, sleep: async () => {}, maxRetries: 1 })
      .queryTasks(Q)
      .catch(() => {})
    for (const l of lines) {
      expect(l).not.toContain(SECRET)
      expect(l).not.toContain(SIGN)
    }
    expect(lines.some((l) => l.includes('retry 1/1'))).toBe(true)
  })

  it('the client object itself does not show the secret', () => {
    const c = client()
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(SECRET)
    expect(JSON.stringify(c)).not.toContain(SECRET)
  })
})
