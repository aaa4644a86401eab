import { describe, expect, it } from 'vitest'
import { buildMatrix, type MatrixEntry, matrixToMarkdown } from '../src/matrix.js'

const e = (target: string, state: MatrixEntry['state'], status?: number, scenario?: string): MatrixEntry => ({
  target,
  state,
  name: `${target} ${status ?? scenario}`,
  ...(status === undefined ? {} : { status }),
  ...(scenario === undefined ? {} : { scenario }),
})

describe('coverage matrix', () => {
  const m = buildMatrix(
    [
      e('mock', 'passed', -22, 'validation'),
      e('mock', 'failed', -22, 'validation'),
      e('sandbox', 'skipped', -22),
      e('sandbox', 'skipped', -1),
      e('mock', 'passed', -1),
      e('extra', 'passed', 0),
    ],
    ['mock', 'mock-http', 'sandbox'],
  )
  const row = (label: string) => m.rows.find((r) => r.label.startsWith(label))!

  it('has a column per target that ran, in the given order, then unknown ones', () => {
    expect(m.targets).toEqual(['mock', 'sandbox', 'extra'])
  })
  it('lists every documented status code, even with no case', () => {
    expect(m.rows.slice(0, 8).map((r) => r.label.split(' ')[0])).toEqual([
      '0',
      '-1',
      '-2',
      '-16',
      '-18',
      '-20',
      '-22',
      '-23',
    ])
    expect(row('-23').cells).toEqual({})
  })
  it('lets a failure win over a pass, and a pass over a skip', () => {
    expect(row('-22').cells).toEqual({ mock: 'failed', sandbox: 'skipped' })
    expect(row('-1').cells).toEqual({ mock: 'passed', sandbox: 'skipped' })
    expect(row('validation').cells).toEqual({ mock: 'failed' })
  })
  it('renders Markdown with FAILED and — for empty cells', () => {
    const md = matrixToMarkdown(m)
    expect(md).toContain('| case | mock | sandbox | extra |')
    expect(md).toContain('| -22 parameter | FAILED | skipped | — |')
  })
})
