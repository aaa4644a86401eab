// previewFiles.upload: the bytes on the wire (each input type, chunked base64 past 1 MB), the
// write retry policy, the envelope check, that the file's content never reaches an error or a
// log line, and the real mock reading real .xls/.xlsx files (through its public API only).
import { inspect } from 'node:util'
import { createMockApp, serveMock, writeNumberFile } from '@laaffic-kit/mock-server'
import { describe, expect, it } from 'vitest'
import {
  createLaafficCore,
  LaafficApiError,
  LaafficConnectionError,
  LaafficHttpError,
  PreviewFiles,
  SystemError,
} from '../src/index.js'
import { client, json, KEY, okData, recordingSleep, SECRET, stubFetch } from './helpers.js'

const UPLOADED = { filePath: '/mnt/cc\\upload\\execl\\1.xls', numberTotalCount: 3, numberSameCount: 1 }
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
/** Deterministic bytes with every value 0..255 (so the base64 uses the whole alphabet, + and / too). */
const bytesOf = (n: number, seed = 1) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed * 7 + (i >> 8)) & 255)

/** Every 12-character piece of `text` that is also a piece of `base64`: what a leak looks like. */
function leakedPieces(text: string, base64: string): string[] {
  const found: string[] = []
  for (let i = 0; i + 12 <= text.length; i++) {
    const piece = text.slice(i, i + 12)
    if (base64.includes(piece)) found.push(piece)
  }
  return found
}

async function sentBody(req: Request): Promise<{ fileName: string; file: string }> {
  return JSON.parse(await req.text())
}

describe('previewFiles.upload on the wire', () => {
  const bytes = bytesOf(1000)
  const inputs: Array<[string, () => Uint8Array | ArrayBuffer | Blob | DataView]> = [
    ['Uint8Array', () => bytes],
    ['ArrayBuffer', () => bytes.slice().buffer],
    ['Blob', () => new Blob([bytes])],
    ['a Buffer view at an offset', () => Buffer.concat([Buffer.from('xx'), bytes]).subarray(2)],
    ['a DataView', () => new DataView(bytes.slice().buffer)],
  ]
  it.each(inputs)('POSTs { fileName, file: base64 } for %s and resolves with data', async (_, make) => {
    const { fetch, requests } = stubFetch(okData(UPLOADED))
    const result = await client({ fetch }).previewFiles.upload({ fileName: 'numbers.xls', file: make() })
    expect(result).toEqual(UPLOADED)
    expect(requests).toHaveLength(1)
    const req = requests[0]!
    expect(req.method).toBe('POST')
    expect(req.url).toBe('https://api.laaffic.com/v3/cc/preview/upload')
    expect(req.headers.get('sign')).toMatch(/^[0-9a-f]{32}$/)
    expect(await sentBody(req)).toEqual({ fileName: 'numbers.xls', file: b64(bytes) })
  })

  it('encodes every length right, across the chunk boundary and past 1 MB', async () => {
    const chunk = 3 * 8192
    for (const n of [0, 1, 2, 3, 4, chunk - 1, chunk, chunk + 1, chunk * 2 + 2, 1_500_001]) {
      const { fetch, requests } = stubFetch(okData(UPLOADED))
      const file = bytesOf(n, n)
      await client({ fetch }).previewFiles.upload({ fileName: 'big.xlsx', file: new Blob([file]) })
      const sent = (await sentBody(requests[0]!)).file
      expect(sent.length, `length ${n}`).toBe(Math.ceil(n / 3) * 4)
      expect(sent === b64(file), `base64 of ${n} bytes`).toBe(true)
    }
  })

  it('refuses what is not bytes with a TypeError, before sending anything', async () => {
    const { fetch } = stubFetch(okData(UPLOADED))
    const files = client({ fetch }).previewFiles
    for (const file of ['UEsDBA==', 42, null, [1, 2, 3], { length: 2 }]) {
      await expect(files.upload({ fileName: 'numbers.xls', file: file as never })).rejects.toThrow(
        /file must be a Uint8Array, an ArrayBuffer or a Blob/,
      )
    }
    await expect(files.upload(null as never)).rejects.toThrow(TypeError)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('is a subpath resource over the core alone', async () => {
    const { fetch, requests } = stubFetch(okData(UPLOADED, 0))
    const files = new PreviewFiles(createLaafficCore({ apiKey: KEY, apiSecret: SECRET, fetch }))
    await expect(files.upload({ fileName: 'numbers.xls', file: bytesOf(5) })).resolves.toEqual(UPLOADED)
    expect(new URL(requests[0]!.url).pathname).toBe('/v3/cc/preview/upload')
  })

  it('rejects a status 0 answer without the stored file', async () => {
    for (const data of [null, [UPLOADED], 'ok']) {
      const { fetch } = stubFetch(okData(data))
      const error = await client({ fetch })
        .previewFiles.upload({ fileName: 'numbers.xls', file: bytesOf(3) })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LaafficHttpError)
      expect((error as LaafficHttpError).message).toContain('status 0 without an object in data')
    }
  })

  it('is a write: a 500 is not repeated, a 503 is; retryWrites always repeats the 500', async () => {
    const { sleep } = recordingSleep()
    const five = () => json({ error: 'boom' }, { status: 500 })
    const s500 = stubFetch(five(), okData(UPLOADED))
    await expect(
      client({ fetch: s500.fetch, sleep }).previewFiles.upload({ fileName: 'numbers.xls', file: bytesOf(3) }),
    ).rejects.toBeInstanceOf(LaafficHttpError)
    expect(s500.fetch).toHaveBeenCalledTimes(1)
    const s503 = stubFetch(json({}, { status: 503 }), okData(UPLOADED))
    await expect(
      client({ fetch: s503.fetch, sleep }).previewFiles.upload({ fileName: 'numbers.xls', file: bytesOf(3) }),
    ).resolves.toEqual(UPLOADED)
    expect(s503.fetch).toHaveBeenCalledTimes(2)
    const always = stubFetch(five(), okData(UPLOADED))
    await expect(
      client({ fetch: always.fetch, sleep, retryWrites: 'always' }).previewFiles.upload({
        fileName: 'numbers.xls',
        file: bytesOf(3),
      }),
    ).resolves.toEqual(UPLOADED)
  })
})

describe('the file content never reaches an error or a log line', () => {
  const file = bytesOf(3000, 5)
  const base64 = b64(file)

  async function failWith(answer: (req: Request) => Response | Promise<Response>) {
    const lines: string[] = []
    const log = (m: string) => lines.push(m)
    const { fetch } = stubFetch(answer)
    const error = await client({
      fetch,
      maxRetries: 1,
      retryWrites: 'always',
      sleep: async () => {},
      logger: { debug: log, info: log, warn: log, error: log },
    })
      .previewFiles.upload({ fileName: 'numbers.xlsx', file })
      .catch((e: unknown) => e)
    const seen = [
      inspect(error, { depth: 9 }),
      JSON.stringify(error),
      String((error as Error).stack),
      ...lines,
    ].join('\n')
    return { error, seen, lines }
  }

  it.each([
    [
      'echoes the request in a body that is not JSON',
      async (req: Request) => new Response(`echo ${await req.text()}`),
    ],
    [
      'echoes it in an HTTP 500 page',
      async (req: Request) => new Response(`<pre>${await req.text()}</pre>`, { status: 500 }),
    ],
    [
      'echoes the base64 alone, cut anywhere (offset 1001)',
      async (req: Request) => new Response(`got: ${(await sentBody(req)).file.slice(1001)}`, { status: 502 }),
    ],
  ])('a server that %s: LaafficHttpError without it', async (_, answer) => {
    const { error, seen } = await failWith(answer)
    expect(error).toBeInstanceOf(LaafficHttpError)
    expect((error as LaafficHttpError).bodyExcerpt).toMatch(/\[file: \d+ base64 characters\]/)
    expect(leakedPieces(seen, base64)).toEqual([])
  })

  it('an in-band failure whose envelope echoes the file under any key', async () => {
    const { error, seen, lines } = await failWith(async (req) => {
      const sent = await sentBody(req)
      return json({
        status: -18,
        reason: `cannot read ${sent.file.slice(0, 40)}`,
        data: { file: sent.file, copy: sent.file },
      })
    })
    expect(error).toBeInstanceOf(SystemError)
    expect((error as SystemError).operation).toBe('uploadPreviewFile')
    expect(lines.some((l) => l.includes('retry 1/1'))).toBe(true)
    expect(leakedPieces(seen, base64)).toEqual([])
  })

  it('a fetch that fails quoting the request body: LaafficConnectionError without it', async () => {
    const { error, seen } = await failWith(async (req) => {
      throw new TypeError(`socket hang up while sending ${await req.text()}`)
    })
    expect(error).toBeInstanceOf(LaafficConnectionError)
    expect(leakedPieces(seen, base64)).toEqual([])
  })

  it('the redactor leaves ordinary text alone', async () => {
    const { error } = await failWith(() =>
      json({ status: -39, reason: 'Uploaded file format incorrect', data: null }),
    )
    expect((error as LaafficApiError).reason).toBe('Uploaded file format incorrect')
    expect((error as LaafficApiError).meaning).toBe('the uploaded file format is wrong')
  })
})

describe('previewFiles.upload against the mock', () => {
  const NUMBERS = ['8613800000001', '8613800000002', '8613800000001', '639171234567']
  const mockClient = (options: Parameters<typeof createMockApp>[0] = {}) => {
    const app = createMockApp({ apiKey: KEY, apiSecret: SECRET, logLevel: 'silent', ...options })
    return client({ baseUrl: 'http://mock.local', fetch: (req) => app.fetch(req) })
  }

  it.each(['xls', 'xlsx'] as const)('stores a real .%s and answers its counts', async (format) => {
    const file = writeNumberFile(NUMBERS, { format, header: 'phone' })
    const result = await mockClient().previewFiles.upload({ fileName: `numbers.${format}`, file })
    expect(result).toMatchObject({ numberTotalCount: 4, numberSameCount: 1 })
    expect(result.filePath).toMatch(new RegExp(`\\.${format}$`))
  })

  it('also from a Blob (a browser File)', async () => {
    const file = new Blob([writeNumberFile(NUMBERS, { format: 'xlsx' }).slice()])
    const result = await mockClient().previewFiles.upload({ fileName: 'numbers.xlsx', file })
    expect(result.numberTotalCount).toBe(4)
  })

  it('-39 for a file that is not a spreadsheet, with the operation and its meaning', async () => {
    const file = new TextEncoder().encode('phone\n8613800000001\n8613800000002\n')
    const error = await mockClient()
      .previewFiles.upload({ fileName: 'numbers.xls', file })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LaafficApiError)
    expect(error).toMatchObject({
      code: -39,
      operation: 'uploadPreviewFile',
      meaning: 'the uploaded file format is wrong',
    })
  })

  it("-38 for a file over the mock's uploadMaxBytes, and no file content on the error", async () => {
    const numbers = Array.from({ length: 2000 }, (_, i) => `86138${String(i).padStart(8, '0')}`)
    const file = writeNumberFile(numbers, { format: 'xlsx' })
    const error = await mockClient({ uploadMaxBytes: 4096 })
      .previewFiles.upload({ fileName: 'big.xlsx', file })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: -38,
      operation: 'uploadPreviewFile',
      meaning: 'the file is too large',
    })
    expect(leakedPieces(inspect(error, { depth: 9 }), b64(file))).toEqual([])
  })

  it('over a real socket: a 1.5 MB body arrives as valid base64 (the mock decodes it: -39, not -22)', async () => {
    const mock = await serveMock({ apiKey: KEY, apiSecret: SECRET, port: 0, logLevel: 'silent' })
    try {
      const http = client({ baseUrl: mock.url, maxRetries: 0 })
      const error = await http.previewFiles
        .upload({ fileName: 'big.xlsx', file: new Blob([bytesOf(1_500_001, 9)]) })
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ code: -39, operation: 'uploadPreviewFile' })
      const ok = await http.previewFiles.upload({
        fileName: 'numbers.xls',
        file: writeNumberFile(NUMBERS, { format: 'xls' }),
      })
      expect(ok).toMatchObject({ numberTotalCount: 4, numberSameCount: 1 })
    } finally {
      await mock.close()
    }
  })
})
