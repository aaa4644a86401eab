import { describe, expect, it } from 'vitest'
import { Journal, type JournalRecord } from '../src/journal.js'

const SECRET = 'sekrit-42'

function record(i: number, body: string | undefined, extra: string[] = []): JournalRecord {
  return {
    timeMs: Date.UTC(2025, 0, 1) + i,
    requestId: `mock-${i}`,
    method: 'POST',
    path: '/v3/cc/preview/query',
    headers: ['Api-Key', 'k', 'Sign', `sign-${i}`, 'X-N', String(i), ...extra],
    bodyText: body,
    httpStatus: 200,
    status: i % 3 === 0 ? null : -i,
    forced: i % 5 === 0 ? `status=-${i}` : null,
    durationMs: i / 1000,
  }
}

describe('Journal (flat arrays and a byte arena)', () => {
  it('gives back what was added, newest last, with limit, across many wraps of the ring', () => {
    const j = new Journal(10, SECRET)
    for (let i = 1; i <= 1003; i++)
      j.add(record(i, i % 7 === 0 ? undefined : JSON.stringify({ i, s: 'é漢'.repeat(i % 40) })))
    const all = j.list()
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, k) => 994 + k))
    for (const e of all) {
      const i = e.id
      expect(e).toEqual({
        id: i,
        time: new Date(Date.UTC(2025, 0, 1) + i).toISOString(),
        requestId: `mock-${i}`,
        method: 'POST',
        path: '/v3/cc/preview/query',
        headers: { 'api-key': 'k', sign: '[redacted]', 'x-n': String(i) },
        body: i % 7 === 0 ? null : { i, s: 'é漢'.repeat(i % 40) },
        httpStatus: 200,
        status: i % 3 === 0 ? null : -i,
        forced: i % 5 === 0 ? `status=-${i}` : null,
        durationMs: i / 1000,
      })
    }
    expect(j.list(3).map((e) => e.id)).toEqual([1001, 1002, 1003])
    expect(j.total).toBe(1003)
    j.clear()
    expect(j.list()).toEqual([])
    j.add(record(2000, '{}'))
    expect(j.list().map((e) => e.requestId)).toEqual(['mock-2000'])
  })

  it('drops the oldest entries whose text newer ones overwrote, and never returns a torn one', () => {
    // 200 entries get a 256 KiB arena; 200 bodies of ~4 KiB cannot all stay.
    const j = new Journal(200, SECRET)
    const big = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(4000) })
    for (let i = 1; i <= 200; i++) j.add(record(i, big(i)))
    const kept = j.list()
    expect(kept.length).toBeGreaterThan(30)
    expect(kept.length).toBeLessThan(200)
    expect(kept.at(-1)?.id).toBe(200)
    for (const e of kept) expect(e.body).toEqual({ i: e.id, pad: 'x'.repeat(4000) })
    // ids are consecutive up to the newest: only the oldest were dropped
    expect(kept.map((e) => e.id)).toEqual(
      Array.from({ length: kept.length }, (_, k) => 201 - kept.length + k),
    )
  })

  it('redacts the secret from bodies and repeated headers join as Headers would', () => {
    const j = new Journal(5, SECRET)
    j.add(record(1, JSON.stringify({ note: `a${SECRET}b` }), ['x-n', 'again']))
    const [e] = j.list()
    expect(JSON.stringify(e)).not.toContain(SECRET)
    expect(e?.headers['x-n']).toBe('1, again')
  })

  it('gives a body back exactly as added, a leading BOM included', () => {
    const j = new Journal(2, SECRET)
    j.add(record(1, '\uFEFF{"a":1}'))
    expect(j.list()[0]?.body).toBe('\uFEFF{"a":1}')
  })

  it('keeps nothing with capacity 0 but still counts', () => {
    const j = new Journal(0, SECRET)
    j.add(record(1, '{}'))
    expect(j.list()).toEqual([])
    expect(j.total).toBe(1)
  })
})
