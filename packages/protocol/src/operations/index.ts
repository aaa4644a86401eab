import {
  CANCEL_PREVIEW_TASK,
  EDIT_PREVIEW_TASK,
  QUERY_PREVIEW_TASKS,
  RESEND_PREVIEW_TASK,
  SUBMIT_PREVIEW_TASK,
  UPLOAD_PREVIEW_FILE,
} from './preview-tasks.js'
import { ADD_SEAT_GROUP, DELETE_SEAT_GROUP, QUERY_SEAT_GROUPS, UPDATE_SEAT_GROUP } from './seat-groups.js'
import { ADD_SEATS, BATCH_SEATS, QUERY_SEATS, UPDATE_SEAT } from './seats.js'
import type { OperationDef } from './types.js'

export { operationStatus } from './common.js'
export { PLATFORM_STATUS_CODES, type PlatformStatus } from './platform.js'
export {
  CANCEL_PREVIEW_TASK,
  EDIT_PREVIEW_TASK,
  QUERY_PREVIEW_TASKS,
  RESEND_PREVIEW_TASK,
  SUBMIT_PREVIEW_TASK,
  UPLOAD_PREVIEW_FILE,
} from './preview-tasks.js'
export { ADD_SEAT_GROUP, DELETE_SEAT_GROUP, QUERY_SEAT_GROUPS, UPDATE_SEAT_GROUP } from './seat-groups.js'
export { ADD_SEATS, BATCH_SEATS, QUERY_SEATS, UPDATE_SEAT } from './seats.js'
export type { OperationDef, OperationId, OperationStatus } from './types.js'

/** Every operation, in the spec's order. Importing this pulls in every table. */
export const OPERATIONS: readonly OperationDef[] = /* @__PURE__ */ Object.freeze([
  QUERY_PREVIEW_TASKS,
  QUERY_SEAT_GROUPS,
  ADD_SEAT_GROUP,
  UPDATE_SEAT_GROUP,
  DELETE_SEAT_GROUP,
  QUERY_SEATS,
  ADD_SEATS,
  UPDATE_SEAT,
  BATCH_SEATS,
  UPLOAD_PREVIEW_FILE,
  SUBMIT_PREVIEW_TASK,
  EDIT_PREVIEW_TASK,
  CANCEL_PREVIEW_TASK,
  RESEND_PREVIEW_TASK,
])
