/**
 * The upload's `file` field: standard base64 (RFC 4648 §4: A–Z a–z 0–9 + /, `=` padding
 * optional), no whitespace, no `data:` prefix, no URL-safe alphabet [I: the vendor's sample
 * just says "base64"]. The decoded size is computed from the length first, so an oversized
 * upload is refused (-38) without scanning or decoding it.
 */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

export type Base64Outcome =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'too-large'; decodedBytes: number }
  | { ok: false; reason: 'malformed' | 'empty' }

/** Bytes that `text` decodes to, from its length alone (valid or not). */
export function decodedLength(text: string): number {
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return Math.floor(((text.length - pad) * 3) / 4)
}

export function decodeBase64(text: string, maxBytes: number): Base64Outcome {
  const size = decodedLength(text)
  if (size > maxBytes) return { ok: false, reason: 'too-large', decodedBytes: size }
  if (text.length === 0) return { ok: false, reason: 'empty' }
  const unpadded = text.length - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0)
  // A padded text is whole quads; an unpadded one cannot leave a single dangling character.
  if (!BASE64.test(text) || unpadded % 4 === 1 || (unpadded !== text.length && text.length % 4 !== 0))
    return { ok: false, reason: 'malformed' }
  const bytes = decode(text)
  if (bytes.length === 0) return { ok: false, reason: 'empty' }
  return { ok: true, bytes }
}

/** Buffer where there is one (Node, Bun: native speed); `atob` elsewhere. */
function decode(text: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: 'base64'): Uint8Array } }).Buffer
  if (B) {
    const b = B.from(text, 'base64')
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  }
  const bin = atob(text.length % 4 === 0 ? text : text + '='.repeat(4 - (text.length % 4)))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
