import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { constants, deflateRawSync } from 'node:zlib'
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_NUMBER_FILE_LIMITS,
  type NumberFileLimits,
  type NumberFileOk,
  type NumberFileResult,
  type NumberFileRules,
  readNumberFile,
  writeNumberFile,
  XLS_MAX_ROWS,
} from '../src/number-files/index.js'
import { sheetJs } from '../src/number-files/sheetjs.js'

// Fictitious numbers (the 555-01xx range): never a real subscriber's.
const N = (i: number) => String(15550100000 + i)
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const LIMITS = DEFAULT_NUMBER_FILE_LIMITS
const read = (
  name: string,
  bytes: Uint8Array,
  limits: NumberFileLimits = LIMITS,
  rules: Partial<NumberFileRules> = {},
) => readNumberFile(name, b64(bytes), limits, rules)

function ok(r: NumberFileResult): NumberFileOk {
  if (!r.ok) throw new Error(`expected ok, got ${r.status}: ${r.detail}`)
  return r
}
function status(r: NumberFileResult): number {
  return r.ok ? 0 : r.status
}

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/number-files/${name}`, import.meta.url))))

// ---- A small zip writer for hostile archives: the point is to write what a real zip writer refuses to. ----
interface RawEntry {
  name: string
  /** Point this directory entry at an earlier entry's local header and data (an overlapping-entry bomb). */
  aliasOf?: string
  /** The bytes as stored in the archive (already deflated for method 8). */
  data: Uint8Array
  method: 0 | 8
  /** The uncompressed size the headers claim. */
  claimedSize: number
}
function rawZip(entries: RawEntry[]): Uint8Array {
  const enc = new TextEncoder()
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  const offsets = new Map<string, number>()
  for (const e of entries) {
    const name = enc.encode(e.name)
    const aliased = e.aliasOf === undefined ? undefined : offsets.get(e.aliasOf)
    const lh = new DataView(new ArrayBuffer(30))
    lh.setUint32(0, 0x04034b50, true)
    lh.setUint16(4, 20, true)
    lh.setUint16(8, e.method, true)
    lh.setUint32(18, e.data.length, true)
    lh.setUint32(22, e.claimedSize >>> 0, true)
    lh.setUint16(26, name.length, true)
    const local = concat([new Uint8Array(lh.buffer), name, e.data])
    const ch = new DataView(new ArrayBuffer(46))
    ch.setUint32(0, 0x02014b50, true)
    ch.setUint16(4, 20, true)
    ch.setUint16(6, 20, true)
    ch.setUint16(10, e.method, true)
    ch.setUint32(20, e.data.length, true)
    ch.setUint32(24, e.claimedSize >>> 0, true)
    ch.setUint16(28, name.length, true)
    ch.setUint32(42, aliased ?? offset, true)
    centrals.push(concat([new Uint8Array(ch.buffer), name]))
    if (aliased !== undefined) continue
    offsets.set(e.name, offset)
    locals.push(local)
    offset += local.length
  }
  const cd = concat(centrals)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, entries.length, true)
  end.setUint16(10, entries.length, true)
  end.setUint32(12, cd.length, true)
  end.setUint32(16, offset, true)
  return concat([...locals, cd, new Uint8Array(end.buffer)])
}
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
/** A valid .xlsx's parts, stored, with some replaced: every hostile .xlsx below starts from a real one. */
function xlsxWith(
  replace: Record<string, RawEntry | Uint8Array>,
  base = writeNumberFile([N(1), N(2)], { format: 'xlsx' }),
) {
  const parts = unzipSync(base)
  const entries: RawEntry[] = Object.entries(parts).map(([name, data]) => {
    const r = replace[name]
    if (r instanceof Uint8Array) return { name, data: r, method: 0, claimedSize: r.length }
    return r ?? { name, data, method: 0, claimedSize: data.length }
  })
  return rawZip(entries)
}
const SHEET = 'xl/worksheets/sheet1.xml'
const sheetXml = (rows: string, dimension = '') =>
  new TextEncoder().encode(
    `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimension}<sheetData>${rows}</sheetData></worksheet>`,
  )

/**
 * A raw DEFLATE stream that inflates to `mib` MiB of `<c><v>1</v></c>`: one 1 MiB segment
 * compressed with a full flush (no back-references across segments), repeated, then an empty
 * final block. 1 GiB costs ~2 MB and a few ms to build.
 */
function deflateBomb(mib: number): Uint8Array {
  const segment = deflateRawSync(Buffer.from('<c><v>1</v></c>'.repeat(65536)), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  })
  const out = new Uint8Array(segment.length * mib + 2)
  for (let i = 0; i < mib; i++) out.set(segment, i * segment.length)
  out.set([3, 0], segment.length * mib)
  return out
}

describe('readNumberFile: files written by SheetJS (writeNumberFile)', () => {
  for (const format of ['xls', 'xlsx'] as const) {
    it(`${format}: a header, every number row in order, duplicates counted`, () => {
      const numbers = [N(1), N(2), N(1), N(3), N(2), N(1)]
      const r = ok(read(`numbers.${format}`, writeNumberFile(numbers, { format, header: 'phone' })))
      expect(r.format).toBe(format)
      expect(r.header).toEqual(['phone'])
      expect(r.numbers).toEqual(numbers)
      expect(r.totalCount).toBe(6)
      expect(r.sameCount).toBe(3)
      expect(r.uniqueNumbers).toEqual([N(1), N(2), N(3)])
      expect(r.invalidCount).toBe(0)
    })

    it(`${format}: without a header the first row is a number row`, () => {
      const r = ok(read(`n.${format}`, writeNumberFile([N(7), N(8)], { format })))
      expect(r.header).toBeNull()
      expect(r.numbers).toEqual([N(7), N(8)])
    })

    it(`${format}: numeric cells come back as their exact digits (8.613800000001e12 → "8613800000001")`, () => {
      const r = ok(
        read(`n.${format}`, writeNumberFile(['8613800000001', '99999'], { format, cells: 'number' })),
      )
      expect(r.numbers).toEqual(['8613800000001', '99999'])
    })

    it(`${format}: a header with only a header row is not an error (totalCount 0)`, () => {
      const r = ok(read(`n.${format}`, writeNumberFile([], { format, header: ['phone', 'name'] })))
      expect(r).toMatchObject({ totalCount: 0, sameCount: 0, numbers: [], header: ['phone', 'name'] })
    })

    it(`${format}: -43 when two header cells repeat (trimmed; letter case counts unless told)`, () => {
      const file = writeNumberFile([N(1)], { format, header: ['phone', 'name', ' name '] })
      const r = read(`n.${format}`, file)
      expect(r).toMatchObject({ ok: false, status: -43 })
      expect(r.ok ? '' : r.detail).toContain('B and C')
      const cased = writeNumberFile([N(1)], { format, header: ['Name', 'name'] })
      expect(status(read(`n.${format}`, cased))).toBe(0)
      expect(status(read(`n.${format}`, cased, LIMITS, { headerCaseSensitive: false }))).toBe(-43)
      // Empty header cells never repeat each other.
      expect(
        status(read(`n.${format}`, writeNumberFile([N(1)], { format, header: ['phone', '', '', 'x'] }))),
      ).toBe(0)
    })

    it(`${format}: -40 past maxRows number rows; exactly maxRows is fine, with or without a header`, () => {
      const ten = Array.from({ length: 10 }, (_, i) => N(i))
      const limits = { ...LIMITS, maxRows: 10 }
      expect(ok(read(`n.${format}`, writeNumberFile(ten, { format, header: 'h' }), limits)).totalCount).toBe(
        10,
      )
      expect(ok(read(`n.${format}`, writeNumberFile(ten, { format }), limits)).totalCount).toBe(10)
      expect(status(read(`n.${format}`, writeNumberFile([...ten, N(10)], { format }), limits))).toBe(-40)
      expect(
        status(read(`n.${format}`, writeNumberFile([...ten, N(10)], { format, header: 'h' }), limits)),
      ).toBe(-40)
    })
  }

  it('xlsx: 100,000 numbers (the vendor limit) read, 100,001 are -40', { timeout: 120_000 }, () => {
    const numbers = Array.from({ length: 100_000 }, (_, i) => N(i))
    const r = ok(read('big.xlsx', writeNumberFile(numbers, { format: 'xlsx', header: 'phone' })))
    expect(r.totalCount).toBe(100_000)
    expect(r.numbers[99_999]).toBe(N(99_999))
    const over = writeNumberFile([...numbers, N(100_000)], { format: 'xlsx', header: 'phone' })
    expect(read('big.xlsx', over)).toMatchObject({ ok: false, status: -40 })
  })

  it('writeNumberFile refuses more rows than an .xls sheet holds', () => {
    const numbers = Array.from({ length: XLS_MAX_ROWS }, (_, i) => N(i))
    expect(() => writeNumberFile(numbers, { format: 'xls', header: 'phone' })).toThrow(RangeError)
  })

  it('the numbers are the first column of the first sheet; other columns and sheets are ignored', () => {
    const XLSX = sheetJs()
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        ['phone', 'name'],
        [N(1), N(2)],
      ]),
      'First',
    )
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([[N(9)]]), 'Second')
    for (const [bookType, ext] of [
      ['xlsx', 'xlsx'],
      ['biff8', 'xls'],
    ] as const) {
      const bytes = new Uint8Array(XLSX.write(book, { bookType, type: 'array' }) as ArrayBuffer)
      expect(ok(read(`n.${ext}`, bytes)).numbers).toEqual([N(1)])
    }
  })

  it('a BIFF5 .xls (Excel 95) in a Chinese codepage: numbers and header read without the codepage tables', () => {
    // SheetJS is loaded without its codepage tables (sheetjs.ts): such a file's text cells come
    // out as Latin-1, but the file still reads, the header is still a header and the numbers
    // (digits in every codepage) are exact. SheetJS writes BIFF5 in codepage 1252, so the CODEPAGE
    // record (0x0042) is set to 936 and the header's bytes to 号码 in GBK.
    const XLSX = sheetJs()
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([['abcd'], [N(1)], [Number(N(2))], [N(1)]]),
      'S',
    )
    const bytes = Buffer.from(XLSX.write(book, { bookType: 'biff5', type: 'buffer' }) as Uint8Array)
    let codepages = 0
    for (let i = 0; i + 6 <= bytes.length; i++) {
      if (
        bytes.readUInt16LE(i) === 0x42 &&
        bytes.readUInt16LE(i + 2) === 2 &&
        bytes.readUInt16LE(i + 4) === 1252
      ) {
        bytes.writeUInt16LE(936, i + 4)
        codepages++
      }
    }
    expect(codepages).toBe(1)
    Buffer.from([0xba, 0xc5, 0xc2, 0xeb]).copy(bytes, bytes.indexOf('abcd'))
    const r = ok(read('n.xls', new Uint8Array(bytes)))
    expect(r).toMatchObject({ format: 'xls', numbers: [N(1), N(2), N(1)], totalCount: 3, sameCount: 1 })
    // 号码's GBK bytes as Latin-1: the codepage tables are not loaded (they decode it as 号码).
    expect(r.header).toEqual(['\u00ba\u00c5\u00c2\u00eb'])
  })
})

describe('readNumberFile: rows and cells', () => {
  const XLSX = () => sheetJs()
  /** An .xlsx from an array of rows (cells as SheetJS takes them: strings, numbers, cell objects). */
  const fromRows = (rows: unknown[][], format: 'xlsx' | 'biff8' = 'xlsx') => {
    const book = XLSX().utils.book_new()
    XLSX().utils.book_append_sheet(book, XLSX().utils.aoa_to_sheet(rows as never), 'S')
    return new Uint8Array(XLSX().write(book, { bookType: format, type: 'array' }) as ArrayBuffer)
  }

  it('text numbers: spaces, dashes, parentheses and one leading + removed; 5–20 digits; leading zeros kept', () => {
    const r = ok(
      read(
        'n.xlsx',
        fromRows([
          ['phone'],
          ['+1 (555) 010-0001'],
          ['0015550100002'],
          ['12345'],
          ['12345678901234567890'],
          ['1234'],
          ['123456789012345678901'],
          ['++15550100003'],
          ['1555 0100 004 ext'],
          ['1555.0100.005'],
          ['\u00a015550100006\u00a0'],
        ]),
      ),
    )
    expect(r.numbers).toEqual([
      '15550100001',
      '0015550100002',
      '12345',
      '12345678901234567890',
      '15550100006',
    ])
    expect(r.invalidCount).toBe(5)
  })

  it('numeric cells: safe non-negative integers only (fractions, negatives, > 2^53 − 1 are invalid)', () => {
    const r = ok(
      read('n.xlsx', fromRows([['phone'], [8613800000001], [1555010.5], [-15550100001], [2 ** 53], [1234]])),
    )
    expect(r.numbers).toEqual(['8613800000001'])
    expect(r.invalidCount).toBe(4)
  })

  it('empty rows are skipped; a row with an empty first cell but other content is invalid', () => {
    const r = ok(read('n.xlsx', fromRows([[], ['phone'], [], [N(1)], [null, 'note'], [], [N(2)]])))
    expect(r).toMatchObject({ numbers: [N(1), N(2)], invalidCount: 1, header: ['phone'] })
  })

  it("invalidRows: 'reject' answers -39 and names the row, never its content", () => {
    const r = read('n.xlsx', fromRows([['phone'], [N(1)], ['15550100002 x']]), LIMITS, {
      invalidRows: 'reject',
    })
    expect(r).toMatchObject({ ok: false, status: -39 })
    expect(r.ok ? '' : r.detail).toContain('row 3')
    expect(r.ok ? '' : r.detail).not.toMatch(/1555/)
  })

  it("formulas: the cached value by default, not a number with formulas: 'invalid'", () => {
    const rows = [
      ['phone'],
      [{ t: 'n', v: 15550100004, f: '15550100000+4' }],
      [{ t: 's', v: '15550100005', f: '"15550100005"' }],
      [N(6)],
    ]
    // SheetJS's BIFF8 writer drops formulas (values only); the xlwt fixture covers an .xls formula.
    const file = fromRows(rows)
    expect(ok(read('n.xlsx', file)).numbers).toEqual([N(4), N(5), N(6)])
    const strict = ok(read('n.xlsx', file, LIMITS, { formulas: 'invalid' }))
    expect(strict).toMatchObject({ numbers: [N(6)], invalidCount: 2 })
    const xls = fixture('independent.xls')
    expect(ok(read('n.xls', xls, LIMITS, { formulas: 'invalid' }))).toMatchObject({
      totalCount: 4,
      invalidCount: 6,
    })
  })

  it('dates and booleans are not numbers', () => {
    const r = ok(read('n.xlsx', fromRows([['phone'], [new Date(Date.UTC(2026, 0, 2))], [true], [N(1)]])))
    expect(r).toMatchObject({ numbers: [N(1)], invalidCount: 2 })
  })
})

describe('readNumberFile: files from independent writers (xlwt .xls, openpyxl .xlsx; make-fixtures.py)', () => {
  it('.xls (BIFF8 by xlwt): punctuation, numeric cells, repeats, empty and invalid rows, a formula, a date', () => {
    const r = ok(read('independent.xls', fixture('independent.xls')))
    expect(r.header).toEqual(['Phone', 'Name'])
    // xlwt stores 0 as the formula's cached result: by the rules, a 1-digit number is invalid.
    expect(r.numbers).toEqual(['15550100001', '15550100002', '15550100001', '0015550100003'])
    expect(r).toMatchObject({ totalCount: 4, sameCount: 1, invalidCount: 6 })
  })

  it('.xlsx (openpyxl): the same rows; its formula has no cached value, so it reads as empty', () => {
    const r = ok(read('independent.xlsx', fixture('independent.xlsx')))
    expect(r.header).toEqual(['Phone', 'Name'])
    expect(r.numbers).toEqual(['15550100001', '15550100002', '15550100001', '0015550100003'])
    // The formula row still has "h" in column B: non-empty, so invalid.
    expect(r).toMatchObject({ totalCount: 4, sameCount: 1, invalidCount: 6 })
  })
})

describe('readNumberFile: names, sizes and base64', () => {
  const file = writeNumberFile([N(1)], { format: 'xlsx' })

  it('-39 unless fileName ends in .xls or .xlsx (any case)', () => {
    for (const name of ['numbers.csv', 'numbers.xls.txt', 'numbers', 'numbers.xlsm', 'numbers.xlsb', 'xlsx'])
      expect(status(read(name, file)), name).toBe(-39)
    expect(status(read('NUMBERS.XLSX', file))).toBe(0)
    expect(status(read('numbers.Xlsx', file))).toBe(0)
  })

  it('-38 from the base64 length alone, before decoding or validating it', () => {
    const limits = { ...LIMITS, maxBytes: 300 }
    // 400 characters decode to 300 bytes: at the limit. One quad more is over.
    expect(status(readNumberFile('n.xlsx', 'A'.repeat(400), limits))).toBe(-39)
    expect(readNumberFile('n.xlsx', 'A'.repeat(404), limits)).toMatchObject({ ok: false, status: -38 })
    // Not even valid base64, but too long: the size answers first.
    expect(status(readNumberFile('n.xlsx', '!'.repeat(404), limits))).toBe(-38)
    expect(status(read('n.xlsx', file, { ...LIMITS, maxBytes: file.length - 1 }))).toBe(-38)
    expect(status(read('n.xlsx', file, { ...LIMITS, maxBytes: file.length }))).toBe(0)
  })

  it('-22 for text that is not standard base64, and for an empty file', () => {
    const text = b64(file)
    for (const bad of [
      `${text.slice(0, 40)}\n${text.slice(40)}`,
      `data:application/vnd.ms-excel;base64,${text}`,
      text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') +
        (text.includes('+') || text.includes('/') ? '' : '-'),
      `${text}=`,
      'A',
      '====',
    ])
      expect(status(readNumberFile('n.xlsx', bad)), bad.slice(0, 20)).toBe(-22)
    expect(readNumberFile('n.xlsx', '')).toMatchObject({ ok: false, status: -22, detail: 'file is empty' })
    // Unpadded base64 is accepted.
    expect(status(readNumberFile('n.xlsx', text.replace(/=+$/, '')))).toBe(0)
  })
})

describe('readNumberFile: containers and hostile files', () => {
  const xls = writeNumberFile([N(1), N(2)], { format: 'xls' })
  const xlsx = writeNumberFile([N(1), N(2)], { format: 'xlsx' })

  it('an .xlsx name over .xls bytes (and the reverse) is -39, or read as what it is with containerMismatch: accept', () => {
    expect(status(read('n.xlsx', xls))).toBe(-39)
    expect(status(read('n.xls', xlsx))).toBe(-39)
    expect(ok(read('n.xlsx', xls, LIMITS, { containerMismatch: 'accept' }))).toMatchObject({
      format: 'xls',
      totalCount: 2,
    })
    expect(ok(read('n.xls', xlsx, LIMITS, { containerMismatch: 'accept' }))).toMatchObject({
      format: 'xlsx',
      totalCount: 2,
    })
  })

  it('CSV, an HTML table, SpreadsheetML 2003 and random bytes renamed .xls are -39 (SheetJS alone would read the first three)', () => {
    const enc = new TextEncoder()
    const csv = enc.encode(`phone\n${N(1)}\n${N(2)}\n`)
    const html = enc.encode(
      `<html><body><table><tr><td>phone</td></tr><tr><td>${N(1)}</td></tr></table></body></html>`,
    )
    const xml2003 = enc.encode(
      `<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data ss:Type="String">${N(1)}</Data></Cell></Row></Table></Worksheet></Workbook>`,
    )
    let seed = 7
    const random = Uint8Array.from({ length: 4096 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed & 0xff
    })
    // The premise: SheetJS itself reads CSV and HTML as a workbook.
    const sheetjsReads = sheetJs().read(csv, { type: 'array' })
    expect(sheetjsReads.SheetNames.length).toBe(1)
    for (const [label, bytes] of [
      ['csv', csv],
      ['html', html],
      ['xml2003', xml2003],
      ['random', random],
    ] as const) {
      expect(status(read('n.xls', bytes)), label).toBe(-39)
      expect(status(read('n.xlsx', bytes)), label).toBe(-39)
    }
  })

  it('a truncated .xlsx and a truncated .xls are -39', () => {
    for (const cut of [0.25, 0.5, 0.9]) {
      expect(status(read('n.xlsx', xlsx.subarray(0, Math.floor(xlsx.length * cut)))), `xlsx ${cut}`).toBe(-39)
      expect(status(read('n.xls', xls.subarray(0, Math.floor(xls.length * cut)))), `xls ${cut}`).toBe(-39)
    }
  })

  it('OLE2 or zip signatures over garbage are -39', () => {
    const garbage = new Uint8Array(2048).fill(0x41)
    garbage.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
    expect(status(read('n.xls', garbage))).toBe(-39)
    garbage.set([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])
    expect(status(read('n.xlsx', garbage))).toBe(-39)
  })

  it('a password-protected .xls (FILEPASS record) is -39', () => {
    const CFB = sheetJs().CFB
    const doc = CFB.read(xls, { type: 'array' })
    const entry = CFB.find(doc, 'Workbook')
    if (!entry?.content) throw new Error('no Workbook stream')
    const stream = Uint8Array.from(entry.content as ArrayLike<number>)
    const bofLength = 4 + (stream[2]! | (stream[3]! << 8))
    // FILEPASS (0x002F) right after BOF: RC4 encryption header, as Excel writes for "password to open".
    const filepass = new Uint8Array(4 + 54)
    filepass.set([0x2f, 0x00, 54, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00])
    entry.content = concat([stream.subarray(0, bofLength), filepass, stream.subarray(bofLength)]) as never
    entry.size = (entry.content as Uint8Array).length
    const locked = new Uint8Array(CFB.write(doc, { type: 'array' }) as ArrayBuffer)
    expect(read('n.xls', locked)).toMatchObject({
      ok: false,
      status: -39,
      detail: 'the workbook is password-protected',
    })
  })

  it('a password-protected .xlsx (an OLE2 file with EncryptionInfo/EncryptedPackage) is -39 either way', () => {
    const CFB = sheetJs().CFB
    const doc = CFB.utils.cfb_new()
    CFB.utils.cfb_add(doc, 'EncryptionInfo', new Uint8Array(256).fill(1) as never)
    CFB.utils.cfb_add(doc, 'EncryptedPackage', new Uint8Array(4096).fill(2) as never)
    const locked = new Uint8Array(CFB.write(doc, { type: 'array' }) as ArrayBuffer)
    expect(status(read('n.xlsx', locked))).toBe(-39)
    expect(status(read('n.xlsx', locked, LIMITS, { containerMismatch: 'accept' }))).toBe(-39)
  })

  it('an encrypted zip (traditional PKWARE flag) is -39', () => {
    const bytes = xlsxWith({})
    const patched = bytes.slice()
    // Set bit 0 of the general-purpose flags in every central directory record.
    for (let at = 0; at + 4 <= patched.length; at++)
      if (
        patched[at] === 0x50 &&
        patched[at + 1] === 0x4b &&
        patched[at + 2] === 0x01 &&
        patched[at + 3] === 0x02
      )
        patched[at + 8]! |= 1
    expect(status(read('n.xlsx', bytes))).toBe(0)
    expect(read('n.xlsx', patched)).toMatchObject({ ok: false, status: -39, detail: 'the zip is encrypted' })
  })

  it('zip bomb, honest headers: a sheet claiming 4 GB is -39 before anything is inflated', () => {
    const bomb = xlsxWith({
      [SHEET]: { name: SHEET, data: new Uint8Array([3, 0]), method: 8, claimedSize: 0xfffffff0 },
    })
    const r = read('n.xlsx', bomb)
    expect(r).toMatchObject({ ok: false, status: -39 })
    expect(r.ok ? '' : r.detail).toMatch(/claim/)
  })

  it('zip bomb, lying headers: 2 MB that inflates to 1 GiB while claiming 1 KB is -39 (inflation stops at maxInflatedBytes)', () => {
    const data = deflateBomb(1024)
    expect(data.length).toBeLessThan(LIMITS.maxBytes)
    const bomb = xlsxWith({ [SHEET]: { name: SHEET, data, method: 8, claimedSize: 1024 } })
    const r = read('n.xlsx', bomb)
    expect(r).toMatchObject({ ok: false, status: -39 })
    expect(r.ok ? '' : r.detail).toMatch(/inflates past the limit/)
  })

  it('overlapping-entry bomb: many directory entries pointing at one compressed part are -39', () => {
    const data = deflateBomb(4)
    const parts: RawEntry[] = Object.entries(unzipSync(xlsx)).map(([name, d]) => ({
      name,
      data: d,
      method: 0,
      claimedSize: d.length,
    }))
    const kernel: RawEntry = { name: 'xl/k.xml', data, method: 8, claimedSize: 4 << 20 }
    const aliases = Array.from(
      { length: 9 },
      (_, i): RawEntry => ({ ...kernel, name: `xl/k${i}.xml`, aliasOf: kernel.name }),
    )
    const zip = rawZip([...parts, kernel, ...aliases])
    // 8 KB compressed once, 10 × 4 MiB through the directory: over the 32 MiB default.
    expect(status(read('n.xlsx', zip))).toBe(-39)
    expect(status(read('n.xlsx', zip, { ...LIMITS, maxInflatedBytes: 64 << 20 }))).toBe(0)
  })

  it('more zip entries than maxZipEntries is -39', () => {
    const parts: RawEntry[] = Object.entries(unzipSync(xlsx)).map(([name, d]) => ({
      name,
      data: d,
      method: 0,
      claimedSize: d.length,
    }))
    const many = rawZip([
      ...parts,
      ...Array.from({ length: 1000 }, (_, i) => ({
        name: `m/${i}.png`,
        data: new Uint8Array(1),
        method: 0 as const,
        claimedSize: 1,
      })),
    ])
    expect(read('n.xlsx', many)).toMatchObject({ ok: false, status: -39 })
    expect(status(read('n.xlsx', many, { ...LIMITS, maxZipEntries: 2000 }))).toBe(0)
  })

  it('a sheet whose dimension claims 1,048,576 rows over three real ones is -40 (nothing past row maxRows + 2 is read)', () => {
    const rows = [1, 2, 3]
      .map((i) => `<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>${N(i)}</t></is></c></row>`)
      .join('')
    const claims = xlsxWith({ [SHEET]: sheetXml(rows, '<dimension ref="A1:A1048576"/>') })
    expect(read('n.xlsx', claims)).toMatchObject({ ok: false, status: -40 })
    const honest = xlsxWith({ [SHEET]: sheetXml(rows, '<dimension ref="A1:A3"/>') })
    expect(ok(read('n.xlsx', honest)).numbers).toEqual([N(1), N(2), N(3)])
  })

  it('600,000 real rows (no dimension) are -40 without building 600,000 rows', () => {
    const row = `<row><c t="inlineStr"><is><t>${N(0)}</t></is></c></row>`
    const xml = sheetXml(row.repeat(600_000))
    const zipped = deflateRawSync(Buffer.from(xml), { level: 1 })
    const file = xlsxWith({ [SHEET]: { name: SHEET, data: zipped, method: 8, claimedSize: xml.length } })
    expect(xml.length).toBeGreaterThan(LIMITS.maxInflatedBytes) // so the default cap alone refuses it...
    expect(status(read('n.xlsx', file))).toBe(-39)
    // ...and under a cap that admits it, sheetRows stops SheetJS at row maxRows + 2.
    const r = read('n.xlsx', file, { ...LIMITS, maxRows: 1000, maxInflatedBytes: 64 << 20 })
    expect(r).toMatchObject({ ok: false, status: -40 })
  })

  it('CVE-2023-30533: a comment anchored at "__proto__" does not pollute Object.prototype (it does with xlsx 0.18.5)', () => {
    const XLSX = sheetJs()
    const sheet = XLSX.utils.aoa_to_sheet([[N(1)], [N(2)]])
    sheet.A1!.c = Object.assign([{ a: 'x', t: 'note' }], { hidden: false })
    const book = XLSX.utils.book_new()
    XLSX.utils.book_append_sheet(book, sheet, 'S')
    const base = new Uint8Array(XLSX.write(book, { bookType: 'xlsx', type: 'array' }) as ArrayBuffer)
    const parts = unzipSync(base)
    const comments = Object.keys(parts).find((n) => /comments\d*\.xml$/.test(n))
    if (!comments) throw new Error('SheetJS wrote no comments part')
    const evil = new TextDecoder().decode(parts[comments]).replace(/ref="A1"/, 'ref="__proto__"')
    expect(evil).toContain('__proto__')
    const file = xlsxWith({ [comments]: new TextEncoder().encode(evil) }, base)
    const before = Object.getOwnPropertyNames(Object.prototype).sort()
    const r = read('n.xlsx', file)
    // The reader's own options (dense sheets) do not reach the vulnerable path; SheetJS's
    // defaults do, so reading with them too catches a downgrade to a vulnerable build.
    sheetJs().read(file, { type: 'array' })
    try {
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before)
      expect(({} as Record<string, unknown>).c).toBeUndefined()
    } finally {
      delete (Object.prototype as Record<string, unknown>).c
    }
    expect(ok(r).numbers).toEqual([N(1), N(2)])
  })

  it('16,384 columns: distinct header cells read, a repeat among them is -43', () => {
    const XLSX = sheetJs()
    const header = Array.from({ length: 16_384 }, (_, c) => `col${c}`)
    const make = (h: string[]) => {
      const book = XLSX.utils.book_new()
      XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([h, [N(1), ...h.slice(1)]]), 'S')
      return new Uint8Array(
        XLSX.write(book, { bookType: 'xlsx', type: 'array', compression: true }) as ArrayBuffer,
      )
    }
    const r = ok(read('wide.xlsx', make(header)))
    expect(r.header?.length).toBe(16_384)
    expect(r.numbers).toEqual([N(1)])
    const repeated = [...header.slice(0, -1), 'col0']
    expect(read('wide.xlsx', make(repeated))).toMatchObject({
      ok: false,
      status: -43,
      detail: 'header columns A and XFD repeat',
    })
  })

  it('parts the reader drops (images, printer settings) do not stop a workbook that refers to them', () => {
    const parts = unzipSync(writeNumberFile([N(1), N(2)], { format: 'xlsx', header: 'p' }))
    const enc = new TextEncoder()
    const types = new TextDecoder()
      .decode(parts['[Content_Types].xml'])
      .replace(
        '</Types>',
        '<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/></Types>',
      )
    parts['[Content_Types].xml'] = enc.encode(types)
    parts['xl/media/image1.png'] = new Uint8Array(5000).fill(7)
    parts['xl/printerSettings/printerSettings1.bin'] = new Uint8Array(300).fill(1)
    parts['xl/worksheets/_rels/sheet1.xml.rels'] = enc.encode(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings" Target="../printerSettings/printerSettings1.bin"/></Relationships>',
    )
    expect(ok(read('n.xlsx', zipSync(parts))).numbers).toEqual([N(1), N(2)])
  })

  it('a zip without [Content_Types].xml is -39; a sheet part that is not XML reads as an empty sheet (SheetJS is lenient inside a valid workbook)', () => {
    expect(ok(read('n.xlsx', xlsxWith({ [SHEET]: new Uint8Array(5000).fill(0xff) })))).toMatchObject({
      totalCount: 0,
      header: null,
    })
    const parts: RawEntry[] = Object.entries(unzipSync(xlsx))
      .filter(([name]) => name !== '[Content_Types].xml')
      .map(([name, d]) => ({ name, data: d, method: 0, claimedSize: d.length }))
    expect(read('n.xlsx', rawZip(parts))).toMatchObject({ ok: false, status: -39 })
  })

  it('no crash on a few hundred single-byte corruptions of a valid .xls and .xlsx (every answer ok or a code)', () => {
    let seed = 11
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed
    }
    for (const [name, original] of [
      ['n.xls', xls],
      ['n.xlsx', xlsx],
    ] as const) {
      for (let i = 0; i < 150; i++) {
        const bytes = original.slice()
        for (let k = 0; k < 4; k++) bytes[next() % bytes.length] = next() & 0xff
        const r = read(name, bytes)
        expect([0, -39, -40, -43]).toContain(status(r))
      }
    }
  })
})
