import type { components } from './generated/schema.js'

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

/** A query for {@link LaafficClient.iterateTasks}: like {@link QueryRequest} with `current` and `size` optional. */
export type TaskQuery = Omit<QueryRequest, 'current' | 'size'> & {
  /** First page to fetch; default 1. */
  current?: number | undefined
  /** Page size; default 100 (the vendor's maximum, so the fewest round trips). */
  size?: number | undefined
}

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
}

/** Header values as a plain object or a `Headers` (openapi-fetch does not take `[name, value][]` pairs). */
export type HeadersLike = Record<string, string> | Headers
