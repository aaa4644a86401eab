import { UPLOAD_PREVIEW_FILE } from '@laaffic-kit/protocol'
import type { components } from '@laaffic-kit/spec'
import { mix, prng } from '../../dataset.js'
import { loadSheetJs, readNumberFile } from '../../number-files/index.js'
import type { MockOptions } from '../../options.js'
import { randomText } from '../../state/generate-world.js'
import { formatWallClock } from '../../time.js'
import { fail, type Operation, ok } from '../operation.js'
import { loadSpecValidator, schemaValidator } from '../schema-validation.js'

type Request = components['schemas']['UploadPreviewFileRequest']

/** The base64 of `uploadMaxBytes` bytes plus room for the JSON around it. */
const bodyLimit = (options: MockOptions) => Math.ceil(options.uploadMaxBytes / 3) * 4 + 4096

/**
 * `/mnt/cc\upload\execl\<yyyyMMddHHmmss><3 digits>_<7 characters>.<ext>`: the shape of the
 * paths preview/query prints (`/mnt/cc\upload\execl\202501101359147_A0987lj.xls`).
 */
function storedPath(seed: number, upload: number, now: number, utcOffset: number, fileName: string): string {
  const stamp = formatWallClock(now, utcOffset).replace(/[-: ]/g, '')
  const token = randomText(prng(mix(seed ^ 0xf11e, upload)), 7)
  const ext = /\.xlsx$/i.test(fileName) ? 'xlsx' : 'xls'
  return `/mnt/cc\\upload\\execl\\${stamp}${String(upload % 1000).padStart(3, '0')}_${token}.${ext}`
}

/**
 * POST /v3/cc/preview/upload: reads the base64 Excel file (number-files/), stores its numbers in
 * the account's world for submitTask and answers `{filePath, numberTotalCount, numberSameCount}`.
 * -38 too large (`--upload-max-bytes`), -39 not a workbook or a wrong extension, -40 more than
 * 100,000 number rows, -43 repeated header columns, -22 bad base64.
 */
export const uploadPreviewFile: Operation<Request> = {
  def: UPLOAD_PREVIEW_FILE,
  validate: schemaValidator<Request>('UploadPreviewFileRequest'),
  prepare: () => Promise.all([loadSpecValidator(), loadSheetJs()]),
  maxBodyBytes: bodyLimit,
  // A body too large to read is a file too large (its base64 alone passes the limit).
  tooLargeStatus: -38,
  handle(request, { world, options, now }) {
    const read = readNumberFile(
      request.fileName,
      request.file,
      { maxBytes: options.uploadMaxBytes, maxRows: 100_000 },
      { invalidRows: options.uploadInvalidRows, containerMismatch: options.uploadContainerMismatch },
    )
    if (!read.ok) return fail(read.status, read.detail)
    const upload = world.nextUpload()
    const filePath = storedPath(world.seed, upload, now, options.utcOffset, request.fileName)
    world.addFile({
      filePath,
      fileName: request.fileName,
      totalCount: read.totalCount,
      sameCount: read.sameCount,
      uniqueNumbers: read.uniqueNumbers.join('\n'),
      uniqueCount: read.uniqueNumbers.length,
      uploadedAt: now,
    })
    return ok({ filePath, numberTotalCount: read.totalCount, numberSameCount: read.sameCount })
  },
}
