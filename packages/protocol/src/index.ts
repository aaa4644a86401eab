export {
  ADD_SEAT_GROUP,
  ADD_SEATS,
  BATCH_SEATS,
  CANCEL_PREVIEW_TASK,
  DELETE_SEAT_GROUP,
  EDIT_PREVIEW_TASK,
  OPERATIONS,
  type OperationDef,
  type OperationId,
  type OperationStatus,
  operationStatus,
  PLATFORM_STATUS_CODES,
  type PlatformStatus,
  QUERY_PREVIEW_TASKS,
  QUERY_SEAT_GROUPS,
  QUERY_SEATS,
  RESEND_PREVIEW_TASK,
  SUBMIT_PREVIEW_TASK,
  UPDATE_SEAT,
  UPDATE_SEAT_GROUP,
  UPLOAD_PREVIEW_FILE,
} from './operations/index.js'
export { maskPhone, redactSensitiveJson, redactSensitiveText, SENSITIVE_FIELDS } from './sensitive.js'
export { redactSignShaped, SIGN_SHAPED_SOURCE } from './sign-shaped.js'
export {
  computeSign,
  createSignVerifier,
  HEADER,
  SIGNING_TEST_VECTOR,
  signHeaders,
  toTimestampSeconds,
  verifySign,
} from './signing.js'
export {
  type FailureStatusCode,
  isKnownStatus,
  type KnownStatusCode,
  normalizeStatus,
  STATUS,
  STATUS_CODES,
  type StatusInfo,
  type StatusKey,
  statusInfo,
} from './status.js'

/** The path of queryPreviewTasks, the kit's first endpoint (see OPERATIONS for the rest). */
export const ENDPOINT_PATH = '/v3/cc/preview/query'
/** The vendor's documented host. White-label brands use other hosts: keep it configurable. */
export const DEFAULT_BASE_URL = 'https://api.laaffic.com'
