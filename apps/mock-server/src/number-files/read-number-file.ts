/**
 * Reads a preview/upload number file (CC-FAMILY §3.17): `{fileName, file}` with `file` the
 * base64 of an .xls or .xlsx. The numbers are the first column of the first sheet.
 *
 * Checks, in this order (the first that fails answers):
 *  1. -39  fileName does not end in .xls or .xlsx (any letter case).
 *  2. -38  the decoded size, computed from the base64 length before decoding, exceeds maxBytes.
 *  3. -22  the text is not standard base64, or decodes to nothing.
 *  4. -39  the bytes are neither an OLE2 compound file (.xls) nor a zip (.xlsx); or they are the
 *          other one of the two (`containerMismatch: 'reject'`, the default).
 *  5. -39  .xlsx: the zip is damaged, encrypted, ZIP64, has more than maxZipEntries entries, or
 *          its XML parts inflate past maxInflatedBytes (zip-guard.ts).
 *  6. -39  SheetJS cannot read it (damaged, password-protected, not a workbook), or it has no sheet.
 *  7. -43  the header row has two equal non-empty cells (trimmed).
 *  8. -39  a non-empty row after the header is not a number (`invalidRows: 'reject'` only).
 *  9. -40  more than maxRows number rows, or the sheet's declared range runs past row maxRows + 2.
 *
 * Rows. Row positions 1 … maxRows + 2 are read (one header, maxRows numbers, one more to see
 * that there are too many): SheetJS skips later rows without building their cells, which keeps a
 * million-row sheet at a fraction of its memory. A sheet whose declared range (the file's
 * dimension record, which every spreadsheet program writes) ends past that row is -40 even when
 * the rows past it are empty; a file without a dimension whose rows past it are only reached
 * after an empty row maxRows + 2 has them ignored.
 *  - A row is empty when every cell of it is empty; empty rows are skipped and not counted.
 *  - The header is the first non-empty row, when its first cell is not a phone number; otherwise
 *    there is no header and that row is the first number row.
 *  - After it, a row whose first cell is a phone number is a number row; any other non-empty row
 *    (first cell empty, text, a fraction, a date...) is invalid: skipped and counted in
 *    invalidCount (`invalidRows: 'skip'`), or -39 (`'reject'`).
 *  - totalCount = number rows; sameCount = number rows whose digits equal an earlier row's.
 *  - No number row at all (a header only) is not an error: totalCount 0.
 */
import type { CellObject, ParsingOptions, WorkSheet } from '@e965/xlsx'
import { decodeBase64 } from './base64.js'
import { headerText, isBlank, readCell } from './cells.js'
import { CONTAINER_OF, type Container, extensionOf, sniffContainer } from './container.js'
import { sheetJs } from './sheetjs.js'
import {
  DEFAULT_NUMBER_FILE_LIMITS,
  DEFAULT_NUMBER_FILE_RULES,
  type NumberFileError,
  type NumberFileLimits,
  type NumberFileResult,
  type NumberFileRules,
  type NumberFileStatus,
} from './types.js'
import { unpackXlsx } from './zip-guard.js'

function fail(status: NumberFileStatus, detail: string): NumberFileError {
  return { ok: false, status, detail }
}

/** Column letters for a 0-based index (0 → A, 26 → AA), for reasons that name a position. */
function columnName(c: number): string {
  let s = ''
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

/** SheetJS's own messages name no cell content; keep them short and single-line anyway. */
function parserReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e)
  if (/password|encrypt/i.test(m)) return 'the workbook is password-protected'
  return `not a readable workbook (${m.replace(/\s+/g, ' ').slice(0, 80)})`
}

export function readNumberFile(
  fileName: string,
  base64: string,
  limits: NumberFileLimits = DEFAULT_NUMBER_FILE_LIMITS,
  rules: Partial<NumberFileRules> = {},
): NumberFileResult {
  const lim = { ...DEFAULT_NUMBER_FILE_LIMITS, ...limits }
  const rule: NumberFileRules = { ...DEFAULT_NUMBER_FILE_RULES, ...rules }

  const ext = extensionOf(fileName)
  if (!ext) return fail(-39, 'fileName must end in .xls or .xlsx')

  const decoded = decodeBase64(base64, lim.maxBytes)
  if (!decoded.ok) {
    if (decoded.reason === 'too-large')
      return fail(-38, `the file is ${decoded.decodedBytes} bytes, more than ${lim.maxBytes}`)
    return fail(-22, decoded.reason === 'empty' ? 'file is empty' : 'file is not valid base64')
  }

  const container = sniffContainer(decoded.bytes)
  if (!container)
    return fail(-39, `the content is not an Excel workbook (neither an OLE2 .xls nor a zip .xlsx)`)
  if (container !== CONTAINER_OF[ext] && rule.containerMismatch === 'reject')
    return fail(
      -39,
      container === 'ole2'
        ? 'an .xlsx name over .xls (OLE2) content; a password-protected .xlsx is stored this way too'
        : 'an .xls name over .xlsx (zip) content',
    )

  let input = decoded.bytes
  if (container === 'zip') {
    const unpacked = unpackXlsx(decoded.bytes, lim)
    if (!unpacked.ok) return fail(-39, unpacked.detail)
    input = unpacked.zip
  }
  return readSheet(input, container, lim, rule)
}

function readSheet(
  input: Uint8Array,
  container: Container,
  lim: Required<NumberFileLimits>,
  rule: NumberFileRules,
): NumberFileResult {
  const lastRow = lim.maxRows + 2 // 1-based position of the last row read
  const XLSX = sheetJs()
  const options: ParsingOptions = {
    type: 'array',
    dense: true,
    sheets: 0,
    sheetRows: lastRow,
    cellDates: true,
    cellFormula: rule.formulas === 'invalid',
    cellHTML: false,
    cellText: false,
    cellNF: false,
    cellStyles: false,
    bookVBA: false,
    bookDeps: false,
    bookProps: false,
  }
  let sheet: WorkSheet | undefined
  try {
    const wb = XLSX.read(input, options)
    const first = wb.SheetNames[0]
    sheet = first === undefined ? undefined : wb.Sheets[first]
  } catch (e) {
    return fail(-39, parserReason(e))
  }
  if (!sheet) return fail(-39, 'the workbook has no sheet')

  const declared = sheet['!fullref'] ?? sheet['!ref']
  if (declared) {
    const range = XLSX.utils.decode_range(declared)
    if (range.e.r + 1 > lastRow)
      return fail(
        -40,
        `the sheet runs to row ${range.e.r + 1}, past row ${lastRow} (at most ${lim.maxRows} numbers)`,
      )
  }

  const rows: (CellObject | undefined)[][] =
    (sheet['!data'] as (CellObject | undefined)[][] | undefined) ?? []
  const numbers: string[] = []
  const uniqueNumbers: string[] = []
  const seen = new Set<string>()
  let header: string[] | null = null
  let sawFirst = false
  let invalidCount = 0
  let sameCount = 0
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]
    if (!row || row.every((c) => isBlank(c))) continue
    const first = readCell(row[0], rule)
    if (!sawFirst) {
      sawFirst = true
      if (first.kind !== 'number') {
        header = Array.from(row, (c) => headerText(c))
        const repeat = repeatedColumns(header, rule.headerCaseSensitive)
        if (repeat)
          return fail(-43, `header columns ${columnName(repeat[0])} and ${columnName(repeat[1])} repeat`)
        continue
      }
    }
    if (first.kind !== 'number') {
      if (rule.invalidRows === 'reject')
        return fail(-39, `row ${r + 1}: the first cell is not a phone number`)
      invalidCount++
      continue
    }
    numbers.push(first.digits)
    if (seen.has(first.digits)) sameCount++
    else {
      seen.add(first.digits)
      uniqueNumbers.push(first.digits)
    }
  }
  if (numbers.length > lim.maxRows) return fail(-40, `more than ${lim.maxRows} number rows`)
  return {
    ok: true,
    format: container === 'ole2' ? 'xls' : 'xlsx',
    numbers,
    totalCount: numbers.length,
    sameCount,
    uniqueNumbers,
    invalidCount,
    header,
  }
}

/** The first two columns of the header with the same non-empty text, or null. */
function repeatedColumns(header: string[], caseSensitive: boolean): [number, number] | null {
  const firstAt = new Map<string, number>()
  for (let c = 0; c < header.length; c++) {
    const raw = header[c]!
    if (raw === '') continue
    const key = caseSensitive ? raw : raw.toLowerCase()
    const earlier = firstAt.get(key)
    if (earlier !== undefined) return [earlier, c]
    firstAt.set(key, c)
  }
  return null
}
