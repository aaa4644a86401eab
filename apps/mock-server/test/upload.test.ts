import { describe, expect, it } from 'vitest'
import { createMockApp, mockState } from '../src/app.js'
import { writeNumberFile } from '../src/number-files/index.js'
import { call, NOW, signed, validator } from './helpers.js'

const fresh = (extra = {}) => createMockApp({ now: NOW, logLevel: 'silent', ...extra })
const UPLOAD = '/v3/cc/preview/upload'
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const NUMBERS = ['8613800000001', '8613800000002', '8613800000001', '639171234567', '8613800000003']

type Uploaded = { filePath: string; numberTotalCount: number; numberSameCount: number }

describe('preview/upload', () => {
  it.each(['xls', 'xlsx'] as const)(
    'stores a .%s number file and answers its counts in the vendor shape',
    async (format) => {
      const app = fresh()
      const file = b64(writeNumberFile(NUMBERS, { format, header: '号码' }))
      const res = await call(app, UPLOAD, { fileName: `numbers.${format}`, file })
      expect(res.status, res.reason).toBe(0)
      expect(validator.errors('UploadPreviewFileResponse', res)).toEqual([])
      const data = res.data as Uploaded
      expect(data).toMatchObject({ numberTotalCount: 5, numberSameCount: 1 })
      // 2021-09-01 00:00:00 UTC is 08:00:00 at the default UTC+8.
      expect(data.filePath).toMatch(
        new RegExp(`^/mnt/cc\\\\upload\\\\execl\\\\20210901120000001_[A-Za-z0-9]{7}\\.${format}$`),
      )
      const stored = mockState(app).world.files.get(data.filePath)
      expect(stored?.uniqueNumbers.split('\n')).toEqual([
        '8613800000001',
        '8613800000002',
        '639171234567',
        '8613800000003',
      ])
      // The same file again gets a new path; both stay for submitTask.
      const again = (await call(app, UPLOAD, { fileName: `numbers.${format}`, file })).data as Uploaded
      expect(again.filePath).not.toBe(data.filePath)
      expect(mockState(app).world.files.size).toBe(2)
    },
  )

  it('answers the file codes: -39 extension or content, -38 size, -22 base64, -43 repeated header (-40 in number-files.test)', async () => {
    const app = fresh({ uploadMaxBytes: 4096 })
    const xls = b64(writeNumberFile(NUMBERS, { format: 'xls' }))
    expect((await call(app, UPLOAD, { fileName: 'numbers.csv', file: xls })).status).toBe(-39)
    expect(
      (
        await call(app, UPLOAD, {
          fileName: 'numbers.xls',
          file: b64(new TextEncoder().encode('a,b\n1,2\n')),
        })
      ).status,
    ).toBe(-39)
    expect((await call(fresh(), UPLOAD, { fileName: 'numbers.xlsx', file: xls })).status).toBe(-39)
    expect(
      (
        await call(fresh({ uploadContainerMismatch: 'accept' }), UPLOAD, {
          fileName: 'numbers.xlsx',
          file: xls,
        })
      ).status,
    ).toBe(0)
    const big = b64(
      writeNumberFile(
        Array.from({ length: 2000 }, (_, i) => `86138${String(i).padStart(8, '0')}`),
        { format: 'xlsx' },
      ),
    )
    expect((await call(app, UPLOAD, { fileName: 'big.xlsx', file: big })).status).toBe(-38)
    expect((await call(app, UPLOAD, { fileName: 'numbers.xls', file: '***not base64***' })).status).toBe(-22)
    const repeated = b64(writeNumberFile(NUMBERS, { format: 'xlsx', header: ['号码', '号码'] }))
    expect((await call(fresh(), UPLOAD, { fileName: 'numbers.xlsx', file: repeated })).status).toBe(-43)
    expect((await call(app, UPLOAD, { fileName: 'b.xl', file: xls })).reason).toContain(
      'fileName must be at least 5 characters',
    )
  })

  it('takes a body larger than --max-body-bytes up to the file limit, and refuses one past it', async () => {
    const app = fresh({ maxBodyBytes: 1024 })
    const file = b64(
      writeNumberFile(
        Array.from({ length: 300 }, (_, i) => `86139${String(i).padStart(8, '0')}`),
        { format: 'xlsx' },
      ),
    )
    expect(file.length).toBeGreaterThan(1024)
    expect((await call(app, UPLOAD, { fileName: 'numbers.xlsx', file })).status).toBe(0)
    const tooBig = await call(fresh({ uploadMaxBytes: 1024 }), UPLOAD, {
      fileName: 'numbers.xlsx',
      file: 'A'.repeat(8000),
    })
    expect(tooBig.status).toBe(-38)
    expect(tooBig.reason).toContain('request body must be at most')
  })

  it('never journals the file content or a full phone number', async () => {
    const app = fresh()
    const file = b64(writeNumberFile(NUMBERS, { format: 'xlsx' }))
    await call(app, UPLOAD, { fileName: 'numbers.xlsx', file }, signed())
    const journal = await (await app.request('/__admin/requests')).text()
    expect(journal).not.toContain(file.slice(0, 40))
    expect(journal).toContain(`[file: ${file.length} base64 characters]`)
    // A body over the journal's 4 KiB cut is redacted as text.
    const big = b64(
      writeNumberFile(
        Array.from({ length: 400 }, (_, i) => `86139${String(i).padStart(8, '0')}`),
        { format: 'xlsx' },
      ),
    )
    await call(app, UPLOAD, { fileName: 'numbers.xlsx', file: big })
    const again = await (await app.request('/__admin/requests')).text()
    expect(again).not.toContain(big.slice(0, 40))
  })
})
