/**
 * What reading a preview/upload number file answers, and every limit and rule it applies. The
 * vendor documents the codes (-38 too large, -39 wrong format, -40 more than 100,000 rows, -43
 * repeated header columns on submitTask) but not the template, the size limit or how rows are
 * counted (CC-FAMILY §3.17, §3.18, §7 item 14): each undocumented choice is a field here with
 * its default, so the mock can expose it as an option.
 */

/** The in-band codes a number file can earn. */
export type NumberFileStatus = -22 | -38 | -39 | -40 | -43

export interface NumberFileOk {
  ok: true
  /** The container the bytes really are (may differ from the extension with `containerMismatch: 'accept'`). */
  format: 'xls' | 'xlsx'
  /** Every number row, in order, as digits only (spaces, dashes, parentheses and a leading + removed). */
  numbers: string[]
  /** Number rows (duplicates included): the vendor's numberTotalCount. */
  totalCount: number
  /** Number rows that repeat an earlier row's number: the vendor's numberSameCount. */
  sameCount: number
  /** Each number once, in order of first appearance. */
  uniqueNumbers: string[]
  /** Non-empty rows after the header whose first cell is not a phone number (skipped). */
  invalidCount: number
  /** The header row's cells as text (trimmed), or null when the first row is a number row. */
  header: string[] | null
}

export interface NumberFileError {
  ok: false
  status: NumberFileStatus
  /** Why, in words safe for a log: positions and sizes, never a cell's content. */
  detail: string
}

export type NumberFileResult = NumberFileOk | NumberFileError

export interface NumberFileLimits {
  /** Largest decoded file in bytes (-38); checked on the base64 length before decoding. */
  maxBytes: number
  /** Most number rows (-40); the vendor's is 100,000 [L]. */
  maxRows: number
  /**
   * .xlsx only: most bytes inflated from the zip, all kept parts together (-39 past it). Bounds
   * the parser's memory: SheetJS inflates every part whole, whatever the zip claims.
   */
  maxInflatedBytes?: number
  /** .xlsx only: most entries in the zip's central directory (-39 past it). */
  maxZipEntries?: number
}

export interface NumberFileRules {
  /** Fewest digits of a phone number once punctuation is removed. */
  minDigits: number
  /** Most digits of a phone number once punctuation is removed. */
  maxDigits: number
  /** A non-empty row after the header whose first cell is not a number: skipped and counted, or -39. */
  invalidRows: 'skip' | 'reject'
  /** A formula cell: its cached (displayed) value is read, or it counts as not a number. */
  formulas: 'cached' | 'invalid'
  /** An .xlsx that holds .xls bytes (or the reverse): -39, or read as what it really is. */
  containerMismatch: 'reject' | 'accept'
  /** Whether header cells that differ only in letter case repeat (-43). */
  headerCaseSensitive: boolean
}

/** 10 MiB [I]: the vendor's limit is not stated; a 100,000-row .xlsx is ~1.5 MB, a 65,536-row .xls ~2.6 MB. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024
/** The vendor's row limit [L]. */
export const DEFAULT_MAX_ROWS = 100_000
/** 32 MiB: ~3× what Excel writes for 100,000 rows of one text column (sheet XML + shared strings). */
export const DEFAULT_MAX_INFLATED_BYTES = 32 * 1024 * 1024
/** An Excel workbook has ~10–20 parts; 1,000 leaves room for images and custom XML. */
export const DEFAULT_MAX_ZIP_ENTRIES = 1000

export const DEFAULT_NUMBER_FILE_LIMITS: Required<NumberFileLimits> = {
  maxBytes: DEFAULT_MAX_BYTES,
  maxRows: DEFAULT_MAX_ROWS,
  maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
  maxZipEntries: DEFAULT_MAX_ZIP_ENTRIES,
}

export const DEFAULT_NUMBER_FILE_RULES: NumberFileRules = {
  minDigits: 5,
  maxDigits: 20,
  invalidRows: 'skip',
  formulas: 'cached',
  containerMismatch: 'reject',
  headerCaseSensitive: true,
}
