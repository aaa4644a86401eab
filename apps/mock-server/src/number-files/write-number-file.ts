/**
 * Makes a valid number file: one sheet, the numbers down column A (optionally under a header
 * row), written by SheetJS. Tests, the client's examples and the benchmarks build their uploads
 * with it; base64 of the result is a preview/upload `file`.
 *
 * Numbers are written as text cells by default, as a template that must keep leading zeros
 * would; `cells: 'number'` writes each number that is a safe integer without a leading zero as
 * a numeric cell instead (what a user who typed the numbers into Excel gets).
 */
import { sheetJs } from './sheetjs.js'

export interface WriteNumberFileOptions {
  format: 'xls' | 'xlsx'
  /** Header cells above the numbers (a string is one cell); none when absent. */
  header?: string | readonly string[]
  cells?: 'text' | 'number'
  /** Extra columns per number row (row i gets extraColumns[i]), e.g. callee names. */
  extraColumns?: readonly (readonly string[])[]
  sheetName?: string
}

/** Rows an .xls (BIFF8) sheet can hold: 2^16. More needs .xlsx. */
export const XLS_MAX_ROWS = 65_536

export function writeNumberFile(numbers: readonly string[], options: WriteNumberFileOptions): Uint8Array {
  const XLSX = sheetJs()
  const header =
    options.header === undefined
      ? []
      : [typeof options.header === 'string' ? [options.header] : [...options.header]]
  if (options.format === 'xls' && numbers.length + header.length > XLS_MAX_ROWS)
    throw new RangeError(`an .xls sheet holds at most ${XLS_MAX_ROWS} rows: write .xlsx for more`)
  const rows: (string | number)[][] = header
  numbers.forEach((n, i) => {
    const asNumber = options.cells === 'number' && /^[1-9][0-9]*$/.test(n) && Number.isSafeInteger(Number(n))
    rows.push([asNumber ? Number(n) : n, ...(options.extraColumns?.[i] ?? [])])
  })
  const sheet = XLSX.utils.aoa_to_sheet(rows, { dense: true })
  const book = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(book, sheet, options.sheetName ?? 'Sheet1')
  const out = XLSX.write(book, {
    bookType: options.format === 'xls' ? 'biff8' : 'xlsx',
    type: 'array',
    compression: true,
  }) as ArrayBuffer
  return new Uint8Array(out)
}
