import { UPLOAD_PREVIEW_FILE } from '@laaffic-kit/protocol'
import { base64Of } from '../base64.js'
import type { LaafficCore } from '../engine.js'
import { fileRedactor } from '../redact-file.js'
import type { RequestOptions, UploadedFile, UploadPreviewFileInput } from '../types.js'

/** Callee-number files for agent tasks: `POST /v3/cc/preview/upload`. */
export class PreviewFiles {
  readonly #core: LaafficCore

  constructor(core: LaafficCore) {
    this.#core = core
  }

  /**
   * Uploads an Excel number file (`uploadPreviewFile`): `fileName` 5–32 characters ending in
   * `.xls` or `.xlsx`, `file` its bytes, which the client sends base64-encoded. Resolves with
   * `{ filePath, numberTotalCount, numberSameCount }` (`filePath` is submitTask's input).
   * Refusals: -38 too large, -39 not a spreadsheet (or a wrong extension), -40 more than 100,000
   * rows, -43 repeated header columns. A write: retried only when proven unprocessed (see
   * `retryWrites`). The file's content never reaches a log line or an error.
   */
  async upload(input: UploadPreviewFileInput, options?: RequestOptions): Promise<UploadedFile> {
    if (!input || typeof input !== 'object') throw new TypeError('laaffic: body must be an object')
    const { file, ...rest } = input
    const base64 = await base64Of(file)
    return this.#core.request(UPLOAD_PREVIEW_FILE, { ...rest, file: base64 }, options, {
      write: true,
      data: 'object',
      redact: fileRedactor(base64),
    })
  }
}
