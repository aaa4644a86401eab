import { OPERATIONS, type OperationDef } from '@laaffic-kit/protocol'

/** What a contract test declares about itself, so the matrix can place it. */
export interface ContractMeta {
  target: string
  /** The operation the status belongs to (codes mean different things per operation); default queryPreviewTasks. */
  operation?: string
  /** The in-band status this case saw the operation answer, if any. */
  status?: number
  /** A scenario row for cases that prove something other than one status. */
  scenario?: string
  /**
   * More operation × status cells the case proves (a walk through several operations): the
   * matrix credits each with the case's result, as if a case of its own had declared it.
   */
  cells?: ReadonlyArray<{ operation: string; status: number }>
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

export const DEFAULT_OPERATION = 'queryPreviewTasks'

/** The matrix entries one finished case makes: its own, and one per extra cell it declares. */
export function entriesOf(meta: ContractMeta, name: string, state: CellState): MatrixEntry[] {
  const { cells, ...own } = meta
  return [
    { ...own, name, state },
    ...(cells ?? []).map((cell) => ({ target: meta.target, ...cell, name, state })),
  ]
}

/** A short row label: the meaning without its parentheses, up to its first semicolon. */
const short = (meaning: string) =>
  meaning
    .replace(/\s*\([^)]*\)/g, '')
    .split(';')[0]!
    .trim()

/**
 * Operation × status rows first (every code each operation documents, in its table's order,
 * even where no case ran; then codes a case saw that the table does not list), then scenarios.
 */
export function buildMatrix(
  entries: MatrixEntry[],
  targetOrder: string[],
  operations: readonly OperationDef[] = OPERATIONS,
): Matrix {
  // Only targets that ran (or were skipped) get a column: --target narrows the matrix too.
  const present = new Set(entries.map((e) => e.target))
  const targets = [
    ...targetOrder.filter((t) => present.has(t)),
    ...[...present].filter((t) => !targetOrder.includes(t)),
  ]
  const rows: Matrix['rows'] = []
  const cellsOf = (operation: string, code: number) => {
    const cells: Record<string, CellState | undefined> = {}
    for (const e of entries)
      if (e.status === code && (e.operation ?? DEFAULT_OPERATION) === operation)
        cells[e.target] = merge(cells[e.target], e.state)
    return cells
  }
  const known = new Set(operations.map((o) => o.id as string))
  for (const op of operations) {
    for (const s of op.statuses)
      rows.push({ label: `${op.id} ${s.code} ${short(s.meaning)}`, cells: cellsOf(op.id, s.code) })
    const extra = [
      ...new Set(
        entries.flatMap((e) =>
          e.status !== undefined &&
          (e.operation ?? DEFAULT_OPERATION) === op.id &&
          !op.statuses.some((s) => s.code === e.status)
            ? [e.status]
            : [],
        ),
      ),
    ].sort((a, b) => b - a)
    for (const code of extra)
      rows.push({ label: `${op.id} ${code} (not in its table)`, cells: cellsOf(op.id, code) })
  }
  // An operation the tables do not know (a typo in a test) still shows, rather than vanishing.
  const unknown = new Map<string, [string, number]>()
  for (const e of entries)
    if (e.status !== undefined && e.operation !== undefined && !known.has(e.operation))
      unknown.set(`${e.operation} ${e.status}`, [e.operation, e.status])
  for (const [label, [operation, code]] of unknown)
    rows.push({ label: `${label} (unknown operation)`, cells: cellsOf(operation, code) })
  const scenarios = [...new Set(entries.flatMap((e) => (e.scenario ? [e.scenario] : [])))]
  for (const scenario of scenarios) {
    const cells: Record<string, CellState | undefined> = {}
    for (const e of entries) if (e.scenario === scenario) cells[e.target] = merge(cells[e.target], e.state)
    rows.push({ label: scenario, cells })
  }
  return { targets, rows }
}

const SYMBOL: Record<CellState, string> = { passed: 'passed', failed: 'FAILED', skipped: 'skipped' }

/** Per target: how many documented operation × status cells passed, of all documented cells. */
export function matrixSummary(m: Matrix, operations: readonly OperationDef[] = OPERATIONS): string[] {
  const documented = new Set(
    operations.flatMap((op) => op.statuses.map((s) => `${op.id} ${s.code} ${short(s.meaning)}`)),
  )
  const rows = m.rows.filter((r) => documented.has(r.label))
  return m.targets.map((t) => {
    const passed = rows.filter((r) => r.cells[t] === 'passed').length
    const failed = rows.filter((r) => r.cells[t] === 'failed').length
    return `${t}: ${passed}/${rows.length} operation × status cells passed${failed ? `, ${failed} FAILED` : ''}`
  })
}

export function matrixToMarkdown(
  m: Matrix,
  title = 'Contract coverage: operation × status × target',
): string {
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
