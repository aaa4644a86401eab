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

/** The one path this kit covers. */
export const ENDPOINT_PATH = '/v3/cc/preview/query'
/** The vendor's documented host. White-label brands use other hosts: keep it configurable. */
export const DEFAULT_BASE_URL = 'https://api.laaffic.com'
