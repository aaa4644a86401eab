export { DEFAULT_BASE_URL, ENDPOINT_PATH, type StatusKey } from '@laaffic-kit/protocol'
export {
  createLaafficClient,
  type FetchLike,
  type LaafficClient,
  type LaafficClientOptions,
  type RawClient,
} from './client.js'
export {
  AuthenticationError,
  DataExistsError,
  DataLimitError,
  IpRestrictedError,
  LaafficApiError,
  type LaafficApiErrorInit,
  LaafficConnectionError,
  LaafficError,
  LaafficHttpError,
  type LaafficHttpErrorInit,
  LaafficTimeoutError,
  ParameterError,
  SystemError,
  TimestampExpiredError,
} from './errors.js'
export type { components, paths } from './generated/schema.js'
export type { Logger } from './logger.js'
export { DEFAULT_PAGE_SIZE, TaskIterator } from './paging.js'
export type { Sleep } from './retry.js'
export type {
  FinishFlag,
  HeadersLike,
  QueryParams,
  QueryRequest,
  QueryResponse,
  RequestOptions,
  TaskPage,
  TaskQuery,
  TaskRecord,
  TaskStatus,
  TaskType,
} from './types.js'
