/**
 * Bounded unpacking of an .xlsx before SheetJS sees it.
 *
 * SheetJS's zip reader trusts the local file headers, allocates the claimed uncompressed size
 * up front (CVE-2026-38359: a few KB claiming GBs) and inflates every part whole until its
 * deflate stream ends, whatever the headers say: a 130 KB zip bomb became 850 MB of RSS and
 * 18 s here. So this module walks the zip's central directory itself, inflates only the parts a
 * workbook needs (XML and relationships; media and binaries are dropped) with fflate's streaming
 * inflater, counting every byte it produces and stopping at `maxInflatedBytes`, and hands
 * SheetJS a new zip of those parts *stored* (no compression). SheetJS then inflates nothing, and
 * its input is exactly what was counted. The directory walk is plain structure reading (APPNOTE
 * 4.3.12/4.3.16); the compressed data is only ever touched by fflate.
 */
import { Inflate, type Zippable, zipSync } from 'fflate'

export interface ZipLimits {
  maxInflatedBytes: number
  maxZipEntries: number
}

export type ZipOutcome = { ok: true; zip: Uint8Array; inflatedBytes: number } | { ok: false; detail: string }

const EOCD = 0x06054b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50

class ZipRefused extends Error {}

function u16(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) throw new ZipRefused('the zip structure runs past the end of the file')
  return b[at]! | (b[at + 1]! << 8)
}

function u32(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) throw new ZipRefused('the zip structure runs past the end of the file')
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0
}

/** The end-of-central-directory record: within the last 22 + 65,535 (comment) bytes. */
function findEndRecord(b: Uint8Array): number {
  const last = b.length - 22
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) if (u32(b, at) === EOCD) return at
  throw new ZipRefused('no zip end-of-central-directory record (truncated?)')
}

/** Parts SheetJS reads for cells: the workbook, sheets, shared strings, styles, relationships. */
function wanted(name: string): boolean {
  return /\.(xml|rels)$/i.test(name)
}

/** Raw DEFLATE data through fflate, in small pushes so one push cannot overshoot the budget far. */
function inflateBounded(data: Uint8Array, budget: number, name: string): Uint8Array {
  const chunks: Uint8Array[] = []
  let produced = 0
  let ended = false
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length
    if (produced > budget) throw new ZipRefused(`zip part ${describeName(name)} inflates past the limit`)
    chunks.push(chunk)
    if (final) ended = true
  })
  const STEP = 4096 // ≤ ~4 MB of output per push at DEFLATE's 1032:1 ceiling
  try {
    for (let at = 0; at < data.length && !ended; at += STEP)
      inflater.push(data.subarray(at, Math.min(at + STEP, data.length)), at + STEP >= data.length)
    if (!ended) inflater.push(new Uint8Array(0), true)
  } catch (e) {
    if (e instanceof ZipRefused) throw e
    throw new ZipRefused(`zip part ${describeName(name)} is not valid DEFLATE data`)
  }
  const out = new Uint8Array(produced)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** Part names are the file's structure, not user data, but keep them short in a reason. */
function describeName(name: string): string {
  const safe = name.replace(/[^\w./[\]-]/g, '?')
  return JSON.stringify(safe.length > 60 ? `${safe.slice(0, 57)}...` : safe)
}

export function unpackXlsx(bytes: Uint8Array, limits: ZipLimits): ZipOutcome {
  try {
    const end = findEndRecord(bytes)
    const entries = u16(bytes, end + 10)
    const cdSize = u32(bytes, end + 12)
    const cdOffset = u32(bytes, end + 16)
    if (entries === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
      throw new ZipRefused('ZIP64 archives are not read (no workbook under 4 GB needs one)')
    if (u16(bytes, end + 4) !== 0 || u16(bytes, end + 6) !== 0)
      throw new ZipRefused('multi-disk zip archives are not read')
    if (entries > limits.maxZipEntries)
      throw new ZipRefused(`the zip has ${entries} entries, more than ${limits.maxZipEntries}`)
    if (cdOffset + cdSize > end) throw new ZipRefused('the zip central directory lies outside the file')

    const parts: Zippable = {}
    const names = new Set<string>()
    let budget = limits.maxInflatedBytes
    let declared = 0
    let at = cdOffset
    for (let i = 0; i < entries; i++) {
      if (u32(bytes, at) !== CENTRAL) throw new ZipRefused('a zip central directory record is damaged')
      const flags = u16(bytes, at + 8)
      const method = u16(bytes, at + 10)
      const compressed = u32(bytes, at + 20)
      const size = u32(bytes, at + 24)
      const nameLen = u16(bytes, at + 28)
      const extraLen = u16(bytes, at + 30)
      const commentLen = u16(bytes, at + 32)
      const local = u32(bytes, at + 42)
      if (at + 46 + nameLen > end) throw new ZipRefused('a zip central directory record is damaged')
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen))
      at += 46 + nameLen + extraLen + commentLen
      if (flags & 0x41) throw new ZipRefused('the zip is encrypted')
      if (names.has(name)) throw new ZipRefused(`the zip names part ${describeName(name)} twice`)
      names.add(name)
      if (name.endsWith('/') || !wanted(name)) continue
      // Refuse on the sizes the directory claims before inflating anything...
      declared += size
      if (declared > limits.maxInflatedBytes)
        throw new ZipRefused(`the zip's parts claim ${declared} bytes, more than ${limits.maxInflatedBytes}`)
      if (u32(bytes, local) !== LOCAL) throw new ZipRefused('a zip local header is missing')
      const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28)
      if (start + compressed > cdOffset)
        throw new ZipRefused(`zip part ${describeName(name)} runs past its data`)
      const data = bytes.subarray(start, start + compressed)
      // ...and count what really comes out, since the claims are the attacker's to write.
      let content: Uint8Array
      if (method === 0) content = data
      else if (method === 8) content = inflateBounded(data, budget, name)
      else throw new ZipRefused(`zip part ${describeName(name)} uses compression method ${method}`)
      if (content.length > budget)
        throw new ZipRefused(`zip part ${describeName(name)} inflates past the limit`)
      budget -= content.length
      parts[name] = [content, { level: 0 }]
    }
    if (!names.has('[Content_Types].xml'))
      throw new ZipRefused('the zip has no [Content_Types].xml: not an Office Open XML workbook')
    return { ok: true, zip: zipSync(parts, { level: 0 }), inflatedBytes: limits.maxInflatedBytes - budget }
  } catch (e) {
    if (e instanceof ZipRefused) return { ok: false, detail: e.message }
    throw e
  }
}
