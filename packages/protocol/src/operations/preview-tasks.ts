import { CC_ROWS, defineOperation } from './common.js'
import type { OperationStatus } from './types.js'

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

// The agent-task write pages (CC-FAMILY §3.18, §3.19, §3.21, §3.22). Rows two pages share are
// plain literals here so each page lists them in its own order without a spread.
const GROUP_NOT_IN_APPLICATION_ROW: OperationStatus = {
  code: -74,
  reason: 'The seat group does not belong to the current application',
  meaning: 'the seat group does not belong to the current application',
}
const NO_MINIMUM_RATE_ROW: OperationStatus = {
  code: -77,
  reason: 'No minimum rate configured for the application',
  meaning: 'no minimum rate is configured for the application',
}
const WRONG_TASK_STATE_ROW: OperationStatus = {
  code: -41,
  reason: 'Wrong task state, modification failed',
  meaning: 'wrong task state, modification failed',
}

/** POST /v3/cc/preview/submitTask (§3.18, sibling brands' pages): the cc table plus -43, -74, -77. */
export const SUBMIT_PREVIEW_TASK = /* @__PURE__ */ defineOperation(
  {
    id: 'submitPreviewTask',
    method: 'POST',
    path: '/v3/cc/preview/submitTask',
  },
  CC_ROWS,
  [
    {
      code: -43,
      reason: 'Callee information header columns must not repeat',
      meaning: 'callee-information header columns must not repeat',
    },
    GROUP_NOT_IN_APPLICATION_ROW,
    NO_MINIMUM_RATE_ROW,
  ],
)

/**
 * POST /v3/cc/preview/agent/editTask (§3.21, sibling brands): the cc table plus -36 (the page's
 * "exceeds the number that can be created", read as a calloutRate cap [I]) and -41, which is the
 * resendTask page's code: the edit page does not list it; the kit answers it for a task whose
 * state forbids editing [I].
 */
export const EDIT_PREVIEW_TASK = /* @__PURE__ */ defineOperation(
  {
    id: 'editPreviewTask',
    method: 'POST',
    path: '/v3/cc/preview/agent/editTask',
  },
  CC_ROWS,
  [
    {
      code: -36,
      reason: 'More than the number that can be created',
      meaning: 'calloutRate is above what may be set (the page: "exceeds the number that can be created")',
    },
    WRONG_TASK_STATE_ROW,
  ],
)

/**
 * POST /v3/cc/preview/agent/cancelTask (§3.22, one sibling-brand page without a status table):
 * the cc table is assumed; -41 is borrowed from resendTask for a task that can no longer be
 * cancelled [I].
 */
export const CANCEL_PREVIEW_TASK = /* @__PURE__ */ defineOperation(
  {
    id: 'cancelPreviewTask',
    method: 'POST',
    path: '/v3/cc/preview/agent/cancelTask',
  },
  CC_ROWS,
  [WRONG_TASK_STATE_ROW],
)

/** POST /v3/cc/preview/resendTask (§3.19, LAAFFIC's page): the cc table plus -41, -42, -74, -77. */
export const RESEND_PREVIEW_TASK = /* @__PURE__ */ defineOperation(
  {
    id: 'resendPreviewTask',
    method: 'POST',
    path: '/v3/cc/preview/resendTask',
  },
  CC_ROWS,
  [
    WRONG_TASK_STATE_ROW,
    { code: -42, reason: 'Number count is 0', meaning: 'the number count is 0: nothing to call again' },
    GROUP_NOT_IN_APPLICATION_ROW,
    NO_MINIMUM_RATE_ROW,
  ],
)
