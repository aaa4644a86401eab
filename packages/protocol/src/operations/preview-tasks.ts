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
