/** What `previewFiles.upload` takes as a file's bytes. */
export type FileBytes = Uint8Array | ArrayBuffer | ArrayBufferView | Blob

// A multiple of 3, so every chunk but the last encodes without padding and the pieces join into
// one valid base64 string; small enough for `String.fromCharCode(...)`'s argument limit.
const CHUNK = 3 * 8192

/**
 * The standard (padded) base64 of `bytes`, without Node's Buffer (the client runs in browsers):
 * `btoa` over Latin-1 strings of 24 KiB chunks, so a multi-megabyte file never becomes one
 * giant argument list or string of char codes. Throws a `TypeError` for anything but bytes.
 */
export async function base64Of(file: FileBytes): Promise<string> {
  const bytes = ArrayBuffer.isView(file)
    ? new Uint8Array(file.buffer, file.byteOffset, file.byteLength)
    : file instanceof ArrayBuffer
      ? new Uint8Array(file)
      : typeof Blob === 'function' && file instanceof Blob
        ? new Uint8Array(await file.arrayBuffer())
        : undefined
  if (!bytes) throw new TypeError('laaffic: file must be a Uint8Array, an ArrayBuffer or a Blob')
  let out = ''
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]))
  }
  return out
}
