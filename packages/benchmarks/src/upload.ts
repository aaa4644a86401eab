/**
 * preview/upload number files: which spreadsheet library the mock reads them with, measured.
 *
 * For each library and file, a fresh `node` child loads the library (timed apart), reads the
 * file's first sheet into rows, and reports the parse time and its peak RSS (VmHWM) and heap.
 * Files are made by the mock's own writeNumberFile: 100,000 numbers as .xlsx (text cells and
 * numeric cells) and 65,535 as .xls (BIFF8 holds 65,536 rows: a 100,000-row .xls cannot
 * exist). Two hostile .xlsx follow: a 2 MB part that inflates to 1 GiB while its headers claim
 * 1 KB, and the same claiming its real size. Every child is killed after BENCH_UPLOAD_TIMEOUT_S
 * (60) and runs with --max-old-space-size=2048; the whole benchmark stops starting children after
 * BENCH_UPLOAD_BUDGET_S (300). Runs per cell: BENCH_UPLOAD_RUNS (3); median time, largest RSS.
 *
 * Contenders: `mock readNumberFile` (the real reader: base64, zip guard, SheetJS, the rules) and
 * `@e965/xlsx` come from apps/mock-server's dependencies. `xlsx` (the registry's 0.18.5),
 * `exceljs` and `read-excel-file` are not dependencies of anything here; they are measured when
 * BENCH_UPLOAD_CANDIDATES names a folder they are installed in:
 *   npm install --prefix /tmp/upload-candidates xlsx@0.18.5 exceljs@4.4.0 read-excel-file@9.3.17
 *   BENCH_UPLOAD_CANDIDATES=/tmp/upload-candidates node dist/upload.js
 * Needs `pnpm build` (the mock's dist). Run alone: `node dist/upload.js` prints the tables.
 */
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { constants, deflateRawSync } from 'node:zlib'
import { MOCK_DIR } from './paths.js'
import type { Section } from './report.js'
import { fmt, markdownTable } from './table.js'

type Lib = 'mock' | '@e965/xlsx' | 'xlsx' | 'exceljs' | 'read-excel-file'
const LIBS: Lib[] = ['mock', '@e965/xlsx', 'xlsx', 'exceljs', 'read-excel-file']
const XLSX_ONLY = new Set<Lib>(['exceljs', 'read-excel-file'])
const LABEL: Record<Lib, string> = {
  mock: 'mock readNumberFile (@e965/xlsx + guard)',
  '@e965/xlsx': '@e965/xlsx',
  xlsx: 'xlsx',
  exceljs: 'exceljs',
  'read-excel-file': 'read-excel-file',
}

/** The part of the mock's number-files module this benchmark uses (loaded from its dist by path). */
interface NumberFiles {
  loadSheetJs(): Promise<unknown>
  readNumberFile(
    fileName: string,
    base64: string,
    limits: unknown,
  ): { ok: true; totalCount: number; header: string[] | null } | { ok: false; status: number; detail: string }
  writeNumberFile(
    numbers: readonly string[],
    options: { format: 'xls' | 'xlsx'; header?: string; cells?: 'text' | 'number' },
  ): Uint8Array
  DEFAULT_NUMBER_FILE_LIMITS: unknown
}
const numberFiles = async () =>
  (await import(pathToFileURL(join(MOCK_DIR, 'dist', 'number-files', 'index.js')).href)) as NumberFiles

interface Measure {
  rows: number
  loadMs: number
  parseMs: number
  baseRssMb: number
  peakRssMb: number
  heapMb: number
  outcome: string
}

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name])
  return Number.isFinite(v) && v > 0 ? v : fallback
}

// ---- where each library comes from ----

function resolverFor(lib: Lib): NodeJS.Require | undefined {
  if (lib === 'mock' || lib === '@e965/xlsx') return createRequire(join(MOCK_DIR, 'package.json'))
  const dir = process.env.BENCH_UPLOAD_CANDIDATES
  return dir ? createRequire(join(dir, 'package.json')) : undefined
}

function packageDir(lib: Lib): string | undefined {
  const from = lib === 'mock' || lib === '@e965/xlsx' ? MOCK_DIR : process.env.BENCH_UPLOAD_CANDIDATES
  return from ? packageRoot(from, lib === 'mock' ? '@e965/xlsx' : lib) : undefined
}

/** Where `name` is installed as seen from `from` (Node's node_modules walk; not every package exports its package.json). */
function packageRoot(from: string, name: string): string | undefined {
  for (let dir = realpathSync(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate)
    if (dir === dirname(dir)) return undefined
  }
}

function versionOf(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** Bytes on disk of a package and its production dependencies (each package once). */
function installBytes(dir: string, seen = new Set<string>()): number {
  if (seen.has(dir)) return 0
  seen.add(dir)
  let total = 0
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) total += statSync(p).size
    }
  }
  walk(dir)
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const d = packageRoot(dir, dep)
    if (d) total += installBytes(d, seen)
  }
  return total
}

// ---- the worker: one library, one file, one process ----

function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (m) return Number(m[1]) / 1024
  } catch {
    // Not Linux: resourceUsage's maxRSS is the same figure in KiB.
  }
  return process.resourceUsage().maxRSS / 1024
}

type Row = unknown[]
/** The two SheetJS calls measured (same API in xlsx 0.18.5 and @e965/xlsx 0.20.3). */
interface SheetJsLike {
  read(
    data: Buffer,
    opts: { type: 'buffer'; dense: boolean },
  ): { SheetNames: string[]; Sheets: Record<string, unknown> }
  utils: { sheet_to_json<T>(sheet: unknown, opts: { header: 1; raw: true }): T[] }
}
async function parseWith(lib: Lib, file: string): Promise<{ load: number; parse: () => Promise<number> }> {
  const req = resolverFor(lib)!
  const bytes = readFileSync(file)
  const t = performance.now()
  if (lib === 'mock') {
    const m = await numberFiles()
    await m.loadSheetJs()
    const base64 = bytes.toString('base64')
    const load = performance.now() - t
    return {
      load,
      parse: async () => {
        const r = m.readNumberFile(file, base64, m.DEFAULT_NUMBER_FILE_LIMITS)
        if (!r.ok) throw new Error(`status ${r.status}: ${r.detail}`)
        return r.totalCount + (r.header ? 1 : 0)
      },
    }
  }
  if (lib === '@e965/xlsx' || lib === 'xlsx') {
    const X = req(lib) as SheetJsLike
    const load = performance.now() - t
    return {
      load,
      parse: async () => {
        const wb = X.read(bytes, { type: 'buffer', dense: true })
        const ws = wb.Sheets[wb.SheetNames[0]!]!
        return X.utils.sheet_to_json<Row>(ws, { header: 1, raw: true }).length
      },
    }
  }
  if (lib === 'exceljs') {
    const E = req('exceljs') as {
      Workbook: new () => {
        xlsx: { load(b: Buffer): Promise<unknown> }
        worksheets: { eachRow(cb: (row: { getCell(i: number): { value: unknown } }) => void): void }[]
      }
    }
    const load = performance.now() - t
    return {
      load,
      parse: async () => {
        const wb = new E.Workbook()
        await wb.xlsx.load(bytes)
        let rows = 0
        wb.worksheets[0]?.eachRow((row) => {
          row.getCell(1).value
          rows++
        })
        return rows
      },
    }
  }
  const entry = req.resolve('read-excel-file/node')
  const m = (await import(pathToFileURL(entry).href)) as { default: (b: Buffer) => Promise<unknown> }
  const load = performance.now() - t
  return {
    load,
    parse: async () => {
      const data = (await m.default(bytes)) as Row[] | { data: Row[] }[]
      const rows = Array.isArray(data[0])
        ? (data as Row[])
        : ((data[0] as { data: Row[] } | undefined)?.data ?? [])
      return rows.length
    },
  }
}

async function worker(lib: Lib, file: string): Promise<void> {
  const { load, parse } = await parseWith(lib, file)
  const base = peakRssMb()
  const t = performance.now()
  let rows = 0
  let outcome = 'ok'
  try {
    rows = await parse()
  } catch (e) {
    outcome = `threw: ${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 90)}`
  }
  const m: Measure = {
    rows,
    loadMs: load,
    parseMs: performance.now() - t,
    baseRssMb: base,
    peakRssMb: peakRssMb(),
    heapMb: process.memoryUsage().heapUsed / 1048576,
    outcome,
  }
  process.stdout.write(`${JSON.stringify(m)}\n`)
}

// ---- the harness ----

function runChild(lib: Lib, file: string, timeoutMs: number): Promise<Measure> {
  const self = fileURLToPath(import.meta.url)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=2048', self, '--worker', lib, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString()
    })
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const line = out.trim().split('\n').at(-1)
      if (code === 0 && line) return resolve(JSON.parse(line) as Measure)
      const why = timedOut
        ? `killed after ${timeoutMs / 1000} s`
        : /heap out of memory|Allocation failed/i.test(err)
          ? `crashed: out of memory (exit ${code ?? signal})`
          : `crashed (exit ${code ?? signal}): ${err.trim().split('\n').at(-1)?.slice(0, 80) ?? ''}`
      resolve({
        rows: 0,
        loadMs: Number.NaN,
        parseMs: Number.NaN,
        baseRssMb: Number.NaN,
        peakRssMb: Number.NaN,
        heapMb: Number.NaN,
        outcome: why,
      })
    })
  })
}

interface Case {
  label: string
  format: 'xls' | 'xlsx'
  file: string
  hostile: boolean
}

/** A stored zip whose `sheet` part is raw DEFLATE data with the given claimed size. */
function zipWithSheet(parts: Record<string, Uint8Array>, sheet: Uint8Array, claimed: number): Uint8Array {
  const enc = new TextEncoder()
  const chunks: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const [name, data] of Object.entries(parts)) {
    const isSheet = name === 'xl/worksheets/sheet1.xml'
    const body = isSheet ? sheet : data
    const n = enc.encode(name)
    const lh = Buffer.alloc(30)
    lh.writeUInt32LE(0x04034b50, 0)
    lh.writeUInt16LE(20, 4)
    lh.writeUInt16LE(isSheet ? 8 : 0, 8)
    lh.writeUInt32LE(body.length, 18)
    lh.writeUInt32LE(isSheet ? claimed : body.length, 22)
    lh.writeUInt16LE(n.length, 26)
    const ch = Buffer.alloc(46)
    ch.writeUInt32LE(0x02014b50, 0)
    ch.writeUInt16LE(20, 4)
    ch.writeUInt16LE(20, 6)
    ch.writeUInt16LE(isSheet ? 8 : 0, 10)
    ch.writeUInt32LE(body.length, 20)
    ch.writeUInt32LE(isSheet ? claimed : body.length, 24)
    ch.writeUInt16LE(n.length, 28)
    ch.writeUInt32LE(offset, 42)
    chunks.push(lh, n, body)
    central.push(ch, n)
    offset += 30 + n.length + body.length
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(parts).length, 8)
  end.writeUInt16LE(Object.keys(parts).length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...chunks, cd, end])
}

async function makeCases(dir: string): Promise<Case[]> {
  const m = await numberFiles()
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(8613800000000 + i))
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name)
    writeFileSync(p, bytes)
    return p
  }
  const cases: Case[] = []
  const make = (label: string, format: 'xls' | 'xlsx', n: number, cells: 'text' | 'number') => {
    const t = performance.now()
    const bytes = m.writeNumberFile(numbers(n), { format, header: 'phone', cells })
    process.stderr.write(`  wrote ${label}: ${fmt(bytes.length)} B in ${fmt(performance.now() - t)} ms\n`)
    cases.push({
      label,
      format,
      file: write(`${label.replace(/\W+/g, '-')}.${format}`, bytes),
      hostile: false,
    })
  }
  make('100k text', 'xlsx', 100_000, 'text')
  make('100k numeric', 'xlsx', 100_000, 'number')
  make('65,535 text', 'xls', 65_535, 'text')
  make('65,535 numeric', 'xls', 65_535, 'number')

  const fflate = createRequire(join(MOCK_DIR, 'package.json'))('fflate') as {
    unzipSync(data: Uint8Array): Record<string, Uint8Array>
  }
  const parts = fflate.unzipSync(m.writeNumberFile(numbers(2), { format: 'xlsx' }))
  const segment = deflateRawSync(Buffer.from('<c><v>1</v></c>'.repeat(65536)), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  })
  const bomb = Buffer.concat([...Array.from({ length: 1024 }, () => segment), Buffer.from([3, 0])])
  cases.push({
    label: 'bomb: 1 GiB claiming 1 KB',
    format: 'xlsx',
    file: write('bomb-lying.xlsx', zipWithSheet(parts, bomb, 1024)),
    hostile: true,
  })
  cases.push({
    label: 'bomb: 1 GiB claiming 1 GiB',
    format: 'xlsx',
    file: write('bomb-honest.xlsx', zipWithSheet(parts, bomb, 1024 * 1024 * 1024)),
    hostile: true,
  })
  return cases
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b)
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN
}
const max = (xs: number[]) => Math.max(...xs.filter((x) => Number.isFinite(x)))
const num = (x: number) => (Number.isFinite(x) ? fmt(Math.round(x)) : '–')

export async function upload(): Promise<Section> {
  const runs = env('BENCH_UPLOAD_RUNS', 3)
  const timeoutMs = env('BENCH_UPLOAD_TIMEOUT_S', 60) * 1000
  const deadline = Date.now() + env('BENCH_UPLOAD_BUDGET_S', 300) * 1000
  const dir = mkdtempSync(join(tmpdir(), 'upload-bench-'))
  try {
    const cases = await makeCases(dir)
    const libs = LIBS.filter((l) => packageDir(l) !== undefined)
    const skipped = LIBS.filter((l) => !libs.includes(l))

    const libRows = libs.map((l) => {
      const d = packageDir(l)!
      return [LABEL[l], versionOf(d), `${(installBytes(d) / 1048576).toFixed(1)} MB`]
    })

    const rows: (string | number)[][] = []
    let outOfTime = false
    for (const c of cases) {
      for (const lib of libs) {
        if (c.format === 'xls' && XLSX_ONLY.has(lib)) continue
        const ms: Measure[] = []
        for (let i = 0; i < (c.hostile ? 1 : runs); i++) {
          if (Date.now() > deadline) {
            outOfTime = true
            break
          }
          ms.push(await runChild(lib, c.file, timeoutMs))
        }
        if (ms.length === 0) continue
        const last = ms.at(-1)!
        process.stderr.write(
          `  ${LABEL[lib]} × ${c.label}: ${last.outcome}, ${num(median(ms.map((m) => m.parseMs)))} ms\n`,
        )
        rows.push([
          LABEL[lib],
          c.format,
          c.label,
          last.outcome === 'ok' ? fmt(last.rows) : '–',
          num(median(ms.map((m) => m.parseMs))),
          num(Math.min(...ms.map((m) => m.parseMs))),
          num(max(ms.map((m) => m.peakRssMb))),
          num(max(ms.map((m) => m.heapMb))),
          num(median(ms.map((m) => m.loadMs))),
          last.outcome,
        ])
      }
    }
    const body = [
      `Each cell: a fresh \`node --max-old-space-size=2048\` child reads the file's first sheet into rows; median and fastest of ${runs} runs (hostile files: 1; on a shared machine the fastest is the steadier figure), killed after ${timeoutMs / 1000} s. "peak RSS" is the child's VmHWM (library and file loaded, ~50–75 MB, included). Files written by the mock's writeNumberFile (SheetJS); BIFF8 .xls holds at most 65,536 rows.`,
      '',
      markdownTable(
        [
          'library',
          'format',
          'file',
          'rows',
          'parse ms',
          'min ms',
          'peak RSS MB',
          'heap MB',
          'load ms',
          'outcome',
        ],
        rows,
      ),
      '',
      markdownTable(['library', 'version', 'install size (package + production deps)'], libRows),
      skipped.length
        ? `\nNot measured (not installed; see BENCH_UPLOAD_CANDIDATES in src/upload.ts): ${skipped.join(', ')}.`
        : '',
      outOfTime ? `\nStopped early: BENCH_UPLOAD_BUDGET_S ran out.` : '',
    ].join('\n')
    return {
      id: 'upload',
      title: 'preview/upload number files: spreadsheet libraries',
      body,
      targets: [],
      command: 'BENCH_UPLOAD_CANDIDATES=<dir with xlsx exceljs read-excel-file> node dist/upload.js',
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const invoked = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (invoked) {
  if (process.argv[2] === '--worker') {
    await worker(process.argv[3] as Lib, process.argv[4]!)
  } else {
    const s = await upload()
    process.stdout.write(`## ${s.title}\n\n${s.body}\n`)
  }
}
