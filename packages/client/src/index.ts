export { DEFAULT_BASE_URL, ENDPOINT_PATH, type StatusKey } from '@laaffic-kit/protocol'
export {
  createLaafficClient,
  type FetchLike,
  type LaafficClient,
  type LaafficClientOptions,
  type RawClient,
} from './client.js'
export { createLaafficCore, type LaafficCore, type LaafficCoreOptions, type OperationKind } from './engine.js'
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
  TaskNotFoundError,
  TimestampExpiredError,
} from './errors.js'
export type { components, operations, paths } from './generated/schema.js'
export type { Logger } from './logger.js'
export { DEFAULT_PAGE_SIZE, PageIterator, TaskIterator } from './paging.js'
export { PreviewFiles } from './resources/preview-files.js'
export { PreviewTasks } from './resources/preview-tasks.js'
export { SeatGroups } from './resources/seat-groups.js'
export { Seats } from './resources/seats.js'
export type { Sleep } from './retry.js'
export type {
  AddSeatGroupRequest,
  AddSeatListRequest,
  BatchSeatRequest,
  CancelPreviewTaskRequest,
  CreatedSeat,
  DeleteSeatGroupParams,
  EditPreviewTaskRequest,
  EmptyData,
  FileBytes,
  FinishFlag,
  HeadersLike,
  NewTaskId,
  PageQuery,
  PreviewTaskId,
  QueryParams,
  QueryRequest,
  QueryResponse,
  RequestOptions,
  ResendPreviewTaskRequest,
  ResendPreviewTaskResponse,
  RetryWrites,
  SeatGroupPage,
  SeatGroupQueryRequest,
  SeatGroupRecord,
  SeatPage,
  SeatQueryRequest,
  SeatRecord,
  SubmitPreviewTaskRequest,
  SubmitPreviewTaskResponse,
  TaskPage,
  TaskQuery,
  TaskRecord,
  TaskStatus,
  TaskType,
  UpdateSeatGroupRequest,
  UpdateSeatRequest,
  UploadedFile,
  UploadPreviewFileInput,
  UploadPreviewFileRequest,
  UploadPreviewFileResponse,
  WaitForTaskOptions,
} from './types.js'
