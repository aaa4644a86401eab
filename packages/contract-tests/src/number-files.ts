import { writeNumberFile } from '@laaffic-kit/mock-server'
import { MOCK_UPLOAD_MAX_BYTES } from './targets.js'

/**
 * The upload cases' files: small, real .xls/.xlsx number files written by the mock's
 * `writeNumberFile` (SheetJS), plus near misses. Built once per process on first use (SheetJS
 * loads in ~0.5 s); every one is a few KB, so the suite's time stays in its requests, not here.
 */
export const SAMPLE_NUMBERS = [
  '8613800000001',
  '8613800000002',
  '8613800000001',
  '639171234567',
  '8613800000003',
]
/** What the mock counts in a file of SAMPLE_NUMBERS: five numbers, one repeated. */
export const SAMPLE_COUNTS = { numberTotalCount: 5, numberSameCount: 1 }

/**
 * The lifecycle walk's file: 40 numbers and 2 repeats under a header (42 rows), so a task over
 * it has failed numbers to resend (the mock fails 5–30 % of a task's calls) and still completes
 * within minutes of mock time at the default rates.
 */
export const LIFECYCLE_NUMBERS = [
  ...Array.from({ length: 40 }, (_, i) => `63917000${String(i).padStart(4, '0')}`),
  '639170000003',
  '639170000017',
]
export const LIFECYCLE_COUNTS = { numberTotalCount: 42, numberSameCount: 2, unique: 40 }

export interface NumberFiles {
  /** LIFECYCLE_NUMBERS as an .xls file. */
  lifecycle: Uint8Array
  xls: Uint8Array
  xlsx: Uint8Array
  /** Header `phone, phone`: -43 on the mock (the vendor lists -43 on submitTask). */
  repeatedHeader: Uint8Array
  /** CSV text: not a workbook (-39). */
  notSpreadsheet: Uint8Array
  /** Just over MOCK_UPLOAD_MAX_BYTES of zeros: -38 on the mock targets, decided from the size alone. */
  tooLarge: Uint8Array
  /** Near misses: a cut-off .xlsx, the first 30 bytes of a zip, an .xls with its header damaged, one byte. */
  nearMisses: Uint8Array[]
}

let cached: NumberFiles | undefined

export function numberFiles(): NumberFiles {
  if (cached) return cached
  const xls = writeNumberFile(SAMPLE_NUMBERS, { format: 'xls', header: 'phone' })
  const xlsx = writeNumberFile(SAMPLE_NUMBERS, { format: 'xlsx', header: 'phone' })
  const damagedXls = xls.slice()
  damagedXls.fill(0x41, 0, 16)
  const strayZip = xlsx.slice(0, 30)
  cached = {
    xls,
    xlsx,
    lifecycle: writeNumberFile(LIFECYCLE_NUMBERS, { format: 'xls', header: 'phone' }),
    repeatedHeader: writeNumberFile(SAMPLE_NUMBERS, { format: 'xlsx', header: ['phone', 'phone'] }),
    notSpreadsheet: new TextEncoder().encode(`phone\n${SAMPLE_NUMBERS.join('\n')}\n`),
    tooLarge: new Uint8Array(MOCK_UPLOAD_MAX_BYTES + 3),
    nearMisses: [xlsx.slice(0, Math.floor(xlsx.length / 2)), strayZip, damagedXls, new Uint8Array([0x50])],
  }
  return cached
}

export const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
