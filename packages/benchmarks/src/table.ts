/** Formatting helpers for the Markdown tables printed to the console and to BENCHMARKS.md. */

export type Cell = string | number

/** A GitHub-flavoured Markdown table. Numbers are right-aligned; pipes in cells are escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'))
  const text = (v: Cell | undefined): string =>
    v === undefined ? '' : String(typeof v === 'number' ? fmt(v) : v).replace(/\|/g, '\\|')
  const body = rows.map((r) => headers.map((_, c) => text(r[c])))
  const widths = headers.map((h, c) => Math.max(3, h.length, ...body.map((r) => r[c]!.length)))
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join(' | ')} |`
  const rule = `|${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`
  return [line(headers), rule, ...body.map(line)].join('\n')
}

/** A number with sensible precision: integers grouped by thousands, small values with 2–3 decimals. */
export function fmt(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return 'n/a'
  if (digits !== undefined) return n.toFixed(digits)
  const abs = Math.abs(n)
  if (Number.isInteger(n) && abs >= 1000) return groupThousands(n)
  if (Number.isInteger(n)) return String(n)
  if (abs >= 1000) return groupThousands(Math.round(n))
  if (abs >= 100) return n.toFixed(1)
  if (abs >= 1) return n.toFixed(2)
  return n.toFixed(3)
}

function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Bytes as "1,234 B" / "5.67 KiB" / "123.4 MiB". */
export function fmtBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a'
  const abs = Math.abs(bytes)
  if (abs < 1024) return `${bytes} B`
  if (abs < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Milliseconds with a unit that fits: µs below 1 ms. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (Math.abs(ms) < 1) return `${(ms * 1000).toFixed(1)} µs`
  if (Math.abs(ms) < 100) return `${ms.toFixed(2)} ms`
  return `${Math.round(ms)} ms`
}

/** "1.23×" */
export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a'
}

/** "met" / "MISSED" verdict cell, with how far off a missed target is. */
export function verdict(ok: boolean, missedBy?: string): string {
  return ok ? 'met' : `**MISSED**${missedBy ? ` (${missedBy})` : ''}`
}
