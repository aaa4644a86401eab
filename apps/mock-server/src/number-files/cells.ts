/**
 * What one cell means to a number file.
 *
 * - Text: trimmed; one leading `+` and every space (any Unicode space), `-`, `(` and `)`
 *   removed; a phone number when `minDigits`–`maxDigits` ASCII digits remain. Leading zeros are
 *   kept (text is how a spreadsheet keeps them).
 * - Number: a phone number only when it is a non-negative integer no larger than 2^53 − 1,
 *   written out in full (8.613800000001e12 → "8613800000001"); above that a double no longer
 *   holds every digit (Excel itself keeps 15 significant digits), so the true number is unknown
 *   and the row is invalid, as is any fraction (1380000.5) or negative number.
 * - Formula: its cached value, read by the rules above (`formulas: 'cached'`), or invalid
 *   (`formulas: 'invalid'`). One that shows nothing (no cached value, or "") is empty.
 * - Boolean, error, date (a number formatted as a date): invalid.
 * - Empty (no cell, "", only spaces): empty.
 */
import type { CellObject } from '@e965/xlsx'

export type CellMeaning = { kind: 'empty' } | { kind: 'number'; digits: string } | { kind: 'invalid' }

export interface CellRules {
  minDigits: number
  maxDigits: number
  formulas: 'cached' | 'invalid'
}

const EMPTY: CellMeaning = { kind: 'empty' }
const INVALID: CellMeaning = { kind: 'invalid' }

export function isBlank(cell: CellObject | undefined): boolean {
  if (!cell || cell.v === undefined || cell.v === null) return true
  return typeof cell.v === 'string' && cell.v.trim() === ''
}

export function normalizeDigits(
  text: string,
  rules: Pick<CellRules, 'minDigits' | 'maxDigits'>,
): string | null {
  const stripped = text
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s\-()]/g, '')
  if (stripped.length < rules.minDigits || stripped.length > rules.maxDigits) return null
  return /^[0-9]+$/.test(stripped) ? stripped : null
}

export function readCell(cell: CellObject | undefined, rules: CellRules): CellMeaning {
  if (isBlank(cell)) return EMPTY
  const c = cell as CellObject
  if (c.f !== undefined && rules.formulas === 'invalid') return INVALID
  if (c.t === 's' && typeof c.v === 'string') {
    const digits = normalizeDigits(c.v, rules)
    return digits ? { kind: 'number', digits } : INVALID
  }
  if (c.t === 'n' && typeof c.v === 'number') {
    const v = c.v
    if (!Number.isSafeInteger(v) || v < 0) return INVALID
    // String() of a safe integer never uses an exponent.
    const digits = String(v)
    return digits.length >= rules.minDigits && digits.length <= rules.maxDigits
      ? { kind: 'number', digits }
      : INVALID
  }
  return INVALID
}

/** A header cell as text (trimmed); empty text for an empty cell. */
export function headerText(cell: CellObject | undefined): string {
  if (isBlank(cell)) return ''
  const v = (cell as CellObject).v
  return (v instanceof Date ? v.toISOString() : String(v)).trim()
}
