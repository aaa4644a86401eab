// The `@laaffic-kit/client/core` entry: the request loop and the errors, without resources or
// `client.raw` (so without openapi-fetch). Pair it with one resource entry
// (`@laaffic-kit/client/seats`...) to ship only what that resource needs.
export {
  createLaafficCore,
  type FetchLike,
  type LaafficCore,
  type LaafficCoreOptions,
  type OperationKind,
} from './engine.js'
export * from './errors.js'
export { DEFAULT_PAGE_SIZE, PageIterator } from './paging.js'
export type * from './types.js'
