import { gzipSync } from 'node:zlib'

/** Bytes after gzip at level 9 (what a CDN or bundler size check typically reports). */
export function gzipSize(input: string | Uint8Array): number {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input
  return gzipSync(buf, { level: 9 }).length
}
