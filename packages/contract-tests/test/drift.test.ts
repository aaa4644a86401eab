import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareBodies, formatDriftMarkdown, runDrift, shapeOf, summarizeDrift } from '../src/drift.js'
import { type RunningProcess, startMockProcess } from '../src/processes.js'
import { MOCK_NOW_SECONDS } from '../src/targets.js'

const creds = { apiKey: 'bDqJFiq9', apiSecret: '7bz1lzh9', now: () => MOCK_NOW_SECONDS * 1000 }

describe('compareBodies', () => {
  const page = (records: unknown[], extra: Record<string, unknown> = {}) => ({
    status: 0,
    reason: 'success',
    data: { total: records.length, size: 15, current: 1, pages: 1, searchCount: true, records, ...extra },
  })

  it('finds nothing between equal answers', () => {
    expect(compareBodies('p', page([{ a: 1 }]), page([{ a: 1 }]))).toEqual([])
  })
  it('reports a status of another type as one type difference', () => {
    expect(compareBodies('p', { status: 0, reason: 'success' }, { status: '0', reason: 'success' })).toEqual([
      { probe: 'p', path: 'status', kind: 'type', a: 'number', b: 'string' },
    ])
  })
  it('reports different codes and reasons', () => {
    const d = compareBodies('p', { status: -22, reason: 'size' }, { status: -1, reason: 'auth' })
    expect(d.map((x) => x.kind)).toEqual(['status'])
    expect(compareBodies('p', { status: -22, reason: 'a' }, { status: -22, reason: 'b' })[0]?.kind).toBe(
      'reason',
    )
  })
  it('reports record field presence, type and nullability, once per field', () => {
    const d = compareBodies(
      'p',
      page([{ taskId: 1, appId: '1', remark: null, extra: 1 }]),
      page([{ taskId: '1', appId: '1', remark: 'x' }]),
    )
    expect(d).toEqual(
      expect.arrayContaining([
        { probe: 'p', path: 'data.records[].taskId', kind: 'type', a: 'number', b: 'string' },
        { probe: 'p', path: 'data.records[].remark', kind: 'nullability', a: 'null', b: 'string' },
        { probe: 'p', path: 'data.records[].extra', kind: 'presence', a: 'number', b: 'absent' },
      ]),
    )
    expect(d).toHaveLength(3)
  })
  it('reports paging figures that differ', () => {
    const d = compareBodies('p', page([], { total: 5, pages: 1 }), page([], { total: 7, pages: 1 }))
    expect(d).toEqual([{ probe: 'p', path: 'data.total', kind: 'paging', a: '5', b: '7' }])
  })
  it('does not compare record fields when one side has no records', () => {
    expect(
      compareBodies('p', page([]), page([{ a: 1 }])).filter((x) => x.path.includes('records[]')),
    ).toEqual([])
  })
  it('treats absent and null data on a failure as the same', () => {
    expect(compareBodies('p', { status: -1, reason: 'x' }, { status: -1, reason: 'x', data: null })).toEqual(
      [],
    )
  })
  it('lists nested paths once under a missing parent', () => {
    expect(shapeOf({ a: { b: [1, 'x'] } }).get('a.b[]')).toEqual(new Set(['number', 'string']))
  })
})

describe('drift between two real mock processes', () => {
  let numbers: RunningProcess
  let strings: RunningProcess
  beforeAll(async () => {
    ;[numbers, strings] = await Promise.all([
      startMockProcess([
        '--now',
        String(MOCK_NOW_SECONDS),
        '--status-type',
        'number',
        '--log-format',
        'json',
      ]),
      startMockProcess([
        '--now',
        String(MOCK_NOW_SECONDS),
        '--status-type',
        'string',
        '--log-format',
        'json',
      ]),
    ])
  }, 30_000)
  afterAll(async () => {
    await Promise.all([numbers?.stop(), strings?.stop()])
  })

  it('shows exactly the difference in how status is printed', async () => {
    const report = await runDrift(
      { name: 'status-number', baseUrl: numbers.url, ...creds },
      { name: 'status-string', baseUrl: strings.url, ...creds },
    )
    const rows = summarizeDrift(report)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ path: 'status', kind: 'type', a: 'number', b: 'string' })
    expect(rows[0]!.probes).toHaveLength(report.probes)
    const md = formatDriftMarkdown(report)
    expect(md).toContain('| `status` | type | number | string |')
  })

  it('shows nothing between two identical mocks', async () => {
    const report = await runDrift(
      { name: 'a', baseUrl: numbers.url, ...creds },
      { name: 'b', baseUrl: numbers.url, ...creds },
    )
    expect(report.differences).toEqual([])
  })

  it('shows a different dataset as paging and data differences', async () => {
    const other = await startMockProcess([
      '--now',
      String(MOCK_NOW_SECONDS),
      '--tasks',
      '40',
      '--log-format',
      'json',
    ])
    try {
      const report = await runDrift(
        { name: 'default', baseUrl: numbers.url, ...creds },
        { name: 'small', baseUrl: other.url, ...creds },
      )
      const paths = new Set(report.differences.map((d) => d.path))
      expect(paths.has('data.total')).toBe(true)
      expect(paths.has('status')).toBe(false)
    } finally {
      await other.stop()
    }
  })
})
