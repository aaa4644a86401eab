import type { OperationDef } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { buildMatrix, entriesOf, type MatrixEntry, matrixSummary, matrixToMarkdown } from '../src/matrix.js'

const e = (
  target: string,
  state: MatrixEntry['state'],
  status?: number,
  scenario?: string,
  operation?: string,
): MatrixEntry => ({
  target,
  state,
  name: `${target} ${operation} ${status ?? scenario}`,
  ...(status === undefined ? {} : { status }),
  ...(scenario === undefined ? {} : { scenario }),
  ...(operation === undefined ? {} : { operation }),
})

// Two small tables (the real ones come from @laaffic-kit/protocol's OPERATIONS by default).
const OPS = [
  {
    id: 'queryPreviewTasks',
    method: 'POST',
    path: '/q',
    statuses: [
      { code: 0, key: 'SUCCESS', reason: 'success', meaning: 'success' },
      { code: -1, key: 'AUTHENTICATION', reason: 'a', meaning: 'authentication error (bad Api-Key or Sign)' },
      { code: -22, key: 'PARAMETER', reason: 'p', meaning: 'parameter error' },
      { code: -23, key: 'DATA_LIMIT', reason: 'd', meaning: 'data limit reached' },
    ],
  },
  {
    id: 'deleteSeatGroup',
    method: 'GET',
    path: '/d',
    statuses: [
      { code: 0, key: 'SUCCESS', reason: 'success', meaning: 'success' },
      { code: -64, reason: 's', meaning: 'the seat group still has seats; remove them first' },
    ],
  },
] as unknown as OperationDef[]

describe('coverage matrix (operation × status × target)', () => {
  const m = buildMatrix(
    [
      e('mock', 'passed', -22, 'validation'),
      e('mock', 'failed', -22, 'validation'),
      e('sandbox', 'skipped', -22),
      e('sandbox', 'skipped', -1),
      e('mock', 'passed', -1),
      e('extra', 'passed', 0),
      e('mock', 'passed', -64, undefined, 'deleteSeatGroup'),
      e('mock-http', 'passed', -64, undefined, 'deleteSeatGroup'),
      e('mock', 'passed', -15, undefined, 'deleteSeatGroup'),
      e('mock', 'passed', -1, undefined, 'noSuchOperation'),
    ],
    ['mock', 'mock-http', 'sandbox'],
    OPS,
  )
  const row = (label: string) => m.rows.find((r) => r.label.startsWith(label))!

  it('has a column per target that ran, in the given order, then unknown ones', () => {
    expect(m.targets).toEqual(['mock', 'mock-http', 'sandbox', 'extra'])
  })
  it("lists every documented code of every operation in its table's order, even with no case", () => {
    expect(m.rows.slice(0, 6).map((r) => r.label)).toEqual([
      'queryPreviewTasks 0 success',
      'queryPreviewTasks -1 authentication error',
      'queryPreviewTasks -22 parameter error',
      'queryPreviewTasks -23 data limit reached',
      'deleteSeatGroup 0 success',
      'deleteSeatGroup -64 the seat group still has seats',
    ])
    expect(row('queryPreviewTasks -23').cells).toEqual({})
  })
  it('places a case by its operation (default queryPreviewTasks): the same code elsewhere is another row', () => {
    expect(row('deleteSeatGroup -64').cells).toEqual({ mock: 'passed', 'mock-http': 'passed' })
    expect(row('queryPreviewTasks -1').cells).toEqual({ mock: 'passed', sandbox: 'skipped' })
  })
  it('adds a row for a code an operation answered outside its table, and for an unknown operation', () => {
    expect(row('deleteSeatGroup -15 (not in its table)').cells).toEqual({ mock: 'passed' })
    expect(row('noSuchOperation -1 (unknown operation)').cells).toEqual({ mock: 'passed' })
  })
  it('lets a failure win over a pass, and a pass over a skip', () => {
    expect(row('queryPreviewTasks -22').cells).toEqual({ mock: 'failed', sandbox: 'skipped' })
    expect(row('validation').cells).toEqual({ mock: 'failed' })
  })
  it('renders Markdown with FAILED and — for empty cells', () => {
    const md = matrixToMarkdown(m)
    expect(md).toContain('| case | mock | mock-http | sandbox | extra |')
    expect(md).toContain('| queryPreviewTasks -22 parameter error | FAILED | — | skipped | — |')
  })
  it('sums documented cells per target', () => {
    expect(matrixSummary(m, OPS)).toEqual([
      'mock: 2/6 operation × status cells passed, 1 FAILED',
      'mock-http: 1/6 operation × status cells passed',
      'sandbox: 0/6 operation × status cells passed',
      'extra: 1/6 operation × status cells passed',
    ])
  })
  it('credits a walk with every extra cell it declares, with its own result', () => {
    const meta = {
      target: 'mock',
      scenario: 'walk',
      cells: [
        { operation: 'deleteSeatGroup', status: -64 },
        { operation: 'queryPreviewTasks', status: -23 },
      ],
    }
    const entries = entriesOf(meta, 'the walk', 'failed')
    expect(entries).toEqual([
      { target: 'mock', scenario: 'walk', name: 'the walk', state: 'failed' },
      { target: 'mock', operation: 'deleteSeatGroup', status: -64, name: 'the walk', state: 'failed' },
      { target: 'mock', operation: 'queryPreviewTasks', status: -23, name: 'the walk', state: 'failed' },
    ])
    const walked = buildMatrix(entriesOf(meta, 'the walk', 'passed'), ['mock'], OPS)
    const cell = (label: string) => walked.rows.find((r) => r.label.startsWith(label))?.cells
    expect(cell('deleteSeatGroup -64')).toEqual({ mock: 'passed' })
    expect(cell('queryPreviewTasks -23')).toEqual({ mock: 'passed' })
    expect(cell('walk')).toEqual({ mock: 'passed' })
    expect(cell('queryPreviewTasks -22')).toEqual({})
  })
})
