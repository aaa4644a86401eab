import { CC_ROWS, defineOperation } from './common.js'

/** POST /v3/cc/preview/query: the eight codes of the previewQuery page (REFERENCE.md). */
export const QUERY_PREVIEW_TASKS = /* @__PURE__ */ defineOperation(
  {
    id: 'queryPreviewTasks',
    method: 'POST',
    path: '/v3/cc/preview/query',
  },
  CC_ROWS,
)

/**
 * POST /v3/cc/preview/upload (CC-FAMILY §3.17, LAAFFIC page): the cc table plus the file codes.
 * -43 is listed on the submitTask page; the mock answers it here, where the header is read.
 */
export const UPLOAD_PREVIEW_FILE = /* @__PURE__ */ defineOperation(
  {
    id: 'uploadPreviewFile',
    method: 'POST',
    path: '/v3/cc/preview/upload',
  },
  CC_ROWS,
  [
    { code: -38, reason: 'File too large', meaning: 'the file is too large' },
    { code: -39, reason: 'Uploaded file format incorrect', meaning: 'the uploaded file format is wrong' },
    {
      code: -40,
      reason: 'More than 100,000 rows imported',
      meaning: 'more than 100,000 rows; import at most 100,000',
    },
    {
      code: -43,
      reason: 'Callee information header columns must not repeat',
      meaning: 'callee-information header columns must not repeat',
    },
  ],
)
