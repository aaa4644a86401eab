import { STATUS_CODES } from '@laaffic-kit/protocol'

/** What a contract test declares about itself, so the matrix can place it. */
export interface ContractMeta {
  target: string
  /** The in-band status this case proves, if any. */
  status?: number
  /** A scenario row for cases that prove something other than one status. */
  scenario?: string
}

declare module 'vitest' {
  interface TaskMeta {
    contract?: ContractMeta
  }
}

export type CellState = 'passed' | 'failed' | 'skipped'

export interface MatrixEntry extends ContractMeta {
  state: CellState
  name: string
}

export interface Matrix {
  targets: string[]
  rows: Array<{ label: string; cells: Record<string, CellState | undefined> }>
}

function merge(a: CellState | undefined, b: CellState): CellState {
  if (a === 'failed' || b === 'failed') return 'failed'
  if (a === 'passed' || b === 'passed') return 'passed'
  return 'skipped'
}

/** Status codes first (every documented one, even where no case ran), then scenarios. */
export function buildMatrix(entries: MatrixEntry[], targetOrder: string[]): Matrix {
  // Only targets that ran (or were skipped) get a column: --target narrows the matrix too.
  const present = new Set(entries.map((e) => e.target))
  const targets = [
    ...targetOrder.filter((t) => present.has(t)),
    ...[...present].filter((t) => !targetOrder.includes(t)),
  ]
  const rows: Matrix['rows'] = []
  for (const s of STATUS_CODES) {
    const cells: Record<string, CellState | undefined> = {}
    for (const e of entries) if (e.status === s.code) cells[e.target] = merge(cells[e.target], e.state)
    rows.push({ label: `${s.code} ${s.key.toLowerCase().replaceAll('_', ' ')}`, cells })
  }
  const scenarios = [...new Set(entries.flatMap((e) => (e.scenario ? [e.scenario] : [])))]
  for (const scenario of scenarios) {
    const cells: Record<string, CellState | undefined> = {}
    for (const e of entries) if (e.scenario === scenario) cells[e.target] = merge(cells[e.target], e.state)
    rows.push({ label: scenario, cells })
  }
  return { targets, rows }
}

const SYMBOL: Record<CellState, string> = { passed: 'passed', failed: 'FAILED', skipped: 'skipped' }

export function matrixToMarkdown(m: Matrix, title = 'Contract coverage: status code × target'): string {
  const lines = [
    `# ${title}`,
    '',
    `| case | ${m.targets.join(' | ')} |`,
    `|---|${m.targets.map(() => '---').join('|')}|`,
  ]
  for (const row of m.rows) {
    const cells = m.targets.map((t) => {
      const c = row.cells[t]
      return c ? SYMBOL[c] : '—'
    })
    lines.push(`| ${row.label} | ${cells.join(' | ')} |`)
  }
  lines.push(
    '',
    '— no case for this cell (e.g. a code a real server cannot be made to return without side effects).',
  )
  return `${lines.join('\n')}\n`
}

/** A fixed-width table for the terminal. */
export function matrixToText(m: Matrix): string {
  const header = ['case', ...m.targets]
  const body = m.rows.map((row) => [row.label, ...m.targets.map((t) => row.cells[t] ?? '—')])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')
}
