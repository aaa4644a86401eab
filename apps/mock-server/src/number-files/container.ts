/**
 * Which container the bytes are, by their signature. A real .xls (BIFF8, also BIFF5) lives in
 * an OLE2 compound file; a real .xlsx is a zip. Everything else a user may rename to .xls
 * (CSV, an HTML table as many web "Export to Excel" buttons write, SpreadsheetML 2003 XML,
 * text) is neither, and is -39 before any parser sees it: SheetJS would happily read CSV and
 * HTML as a spreadsheet, Excel-based tooling on the vendor's side (a Java server [I]) would not.
 */

export type Container = 'ole2' | 'zip'

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
// A local file header first: an empty zip (end record only) holds no workbook anyway.
const ZIP = [0x50, 0x4b, 0x03, 0x04]

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  if (bytes.length < sig.length) return false
  return sig.every((b, i) => bytes[i] === b)
}

export function sniffContainer(bytes: Uint8Array): Container | null {
  if (startsWith(bytes, OLE2)) return 'ole2'
  if (startsWith(bytes, ZIP)) return 'zip'
  return null
}

/** The extension a file name promises, or null when it is neither .xls nor .xlsx (any case). */
export function extensionOf(fileName: string): 'xls' | 'xlsx' | null {
  const m = /\.(xlsx?)$/i.exec(fileName)
  return m ? (m[1]!.toLowerCase() as 'xls' | 'xlsx') : null
}

export const CONTAINER_OF: Record<'xls' | 'xlsx', Container> = { xls: 'ole2', xlsx: 'zip' }
