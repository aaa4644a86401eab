import type { FileBytes } from './base64.js'
import type { components, operations } from './generated/schema.js'

type Schemas = components['schemas']

/** One page request: `current` (1..N), `size` (1..100) and the filters in `params`. */
export type QueryRequest = Schemas['QueryRequest']
/** The filters; every field optional, all given ones combine with AND. */
export type QueryParams = Schemas['QueryParams']
/** A MyBatis-Plus page: `{ total, size, current, pages, searchCount, records }`. */
export type TaskPage = Schemas['TaskPage']
/** One task as the vendor sends it (note the numeric strings: `numberTotalCount`, `appId`...). */
export type TaskRecord = Schemas['TaskRecord']
export type TaskStatus = Schemas['TaskStatus']
export type TaskType = Schemas['TaskType']
export type FinishFlag = Schemas['FinishFlag']
/** The raw envelope, before the client checks `status`. */
export type QueryResponse = Schemas['QueryResponse']

/** Seat groups: `seatGroups.query` body, its page and records (CC-FAMILY §3.1). */
export type SeatGroupQueryRequest = Schemas['SeatGroupQueryRequest']
export type SeatGroupPage = Schemas['SeatGroupPage']
export type SeatGroupRecord = Schemas['SeatGroupRecord']
export type AddSeatGroupRequest = Schemas['AddSeatGroupRequest']
export type UpdateSeatGroupRequest = Schemas['UpdateSeatGroupRequest']
/** `seatGroups.delete` takes its query parameters: `{ voiceGroupId }`. */
export type DeleteSeatGroupParams = NonNullable<operations['deleteSeatGroup']['parameters']['query']>

/** Seats: `seats.query` body (`params.strTime`/`endTime` required), its page and records (§3.8). */
export type SeatQueryRequest = Schemas['SeatQueryRequest']
export type SeatPage = Schemas['SeatPage']
/** One seat. `password` arrives in clear: the client returns it but never logs it or puts it on errors. */
export type SeatRecord = Schemas['SeatRecord']
export type AddSeatListRequest = Schemas['AddSeatListRequest']
export type CreatedSeat = Schemas['CreatedSeat']
export type UpdateSeatRequest = Schemas['UpdateSeatRequest']
/** `type` 2 delete, 3 disable, 4 enable; `idList` the seats' `keyId`s. */
export type BatchSeatRequest = Schemas['BatchSeatRequest']
/** Preview files: the wire body of `previewFiles.upload` (`file` is the base64), its result (§3.17). */
export type UploadPreviewFileRequest = Schemas['UploadPreviewFileRequest']
/** `{ filePath, numberTotalCount, numberSameCount }`: where the file was stored and what it holds. */
export type UploadedFile = Schemas['UploadedFile']
export type UploadPreviewFileResponse = Schemas['UploadPreviewFileResponse']
/** What `previewFiles.upload` takes: the request with `file` as bytes, which the client base64-encodes. */
export type UploadPreviewFileInput = Omit<UploadPreviewFileRequest, 'file'> & {
  /** The .xls/.xlsx file's bytes (a `Buffer` is a `Uint8Array`; a browser `File` is a `Blob`). */
  file: FileBytes
}

/** An agent task's id: an integer, or the same id as a string of digits (the vendor documents String). */
export type PreviewTaskId = Schemas['PreviewTaskId']
/** `previewTasks.submit`: `type` 1 also needs one `voiceGroupId`, `appId` and `calloutRate` (§3.18). */
export type SubmitPreviewTaskRequest = Schemas['SubmitPreviewTaskRequest']
/** `previewTasks.edit`: `{ taskId, calloutRate, remark? }` (§3.21). */
export type EditPreviewTaskRequest = Schemas['EditPreviewTaskRequest']
/** `previewTasks.cancel`: `{ taskId }` (§3.22). */
export type CancelPreviewTaskRequest = Schemas['CancelPreviewTaskRequest']
/** `previewTasks.resend`: `resendType` 1 failed numbers, 2 not yet called, 3 all (§3.19). */
export type ResendPreviewTaskRequest = Schemas['ResendPreviewTaskRequest']
export type SubmitPreviewTaskResponse = Schemas['SubmitPreviewTaskResponse']
export type ResendPreviewTaskResponse = Schemas['ResendPreviewTaskResponse']
/** What submit and resend resolve with: the new task's id, or null where the server "returns empty". */
export type NewTaskId = Schemas['NewTaskId']

/** Options of `previewTasks.waitFor`. */
export interface WaitForTaskOptions {
  /** The status (or any of the statuses) to wait for; default the terminal ones, 12, 13 and 14. */
  until?: TaskStatus | readonly TaskStatus[] | undefined
  /** Stops the wait (and an in-flight poll); `waitFor` rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Milliseconds between polls; default 2000, at least 50. */
  pollMs?: number | undefined
}

/** `data` of the write operations that return nothing (the vendor sends `null`). */
export type EmptyData = Exclude<Schemas['EmptyResponse']['data'], undefined>

/** Like a page request with `current` and `size` optional: what the `iterate` methods take. */
export type PageQuery<Request extends { current: number; size: number }> = Omit<
  Request,
  'current' | 'size'
> & {
  /** First page to fetch; default 1. */
  current?: number | undefined
  /** Page size; default 100 (the vendor's maximum, so the fewest round trips). */
  size?: number | undefined
}

/** A query for {@link LaafficClient.iterateTasks}: like {@link QueryRequest} with `current` and `size` optional. */
export type TaskQuery = PageQuery<QueryRequest>

/**
 * Which failed attempts of a write (add, update, delete, batch, upload) are retried:
 * - `'unprocessed'` (default): only failures that prove the server did not act on it: the
 *   connection was refused or the host not found (nothing was sent), HTTP 429 or 503, or a
 *   -16 answer cured by a clock-skew correction. Never a timeout, a reset, another 5xx or -18:
 *   the write may have been applied, and repeating `seats.addList` would create seats twice.
 * - `'always'`: as reads are retried. Only for writes you know are safe to repeat.
 */
export type RetryWrites = 'unprocessed' | 'always'

/** Options for one call; each overrides the client's default for this call only. */
export interface RequestOptions {
  /** Aborts the call, including a retry's backoff sleep; the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined
  /** Extra request headers (e.g. `X-Mock-Status` for the mock). The signing headers always win. */
  headers?: HeadersLike | undefined
  /** Per-attempt timeout in ms. */
  timeoutMs?: number | undefined
  /** Retries after the first attempt. */
  maxRetries?: number | undefined
  /** Which failures of a write are retried; reads ignore it. See {@link RetryWrites}. */
  retryWrites?: RetryWrites | undefined
}

/** Header values as a plain object or a `Headers` (openapi-fetch does not take `[name, value][]` pairs). */
export type HeadersLike = Record<string, string> | Headers

export type { FileBytes } from './base64.js'
