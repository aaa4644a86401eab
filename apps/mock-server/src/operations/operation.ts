import type { OperationDef } from '@laaffic-kit/protocol'
import type { Secrets } from '../faults.js'
import type { MockOptions } from '../options.js'
import type { Account } from '../state/accounts.js'
import type { World } from '../state/world.js'

/** What a handler sees besides the request: the signing account's world, the options, the clock. */
export interface OperationContext {
  account: Account
  world: World
  options: MockOptions
  /** The mock clock, Unix seconds. */
  now: number
}

/** A handler's answer: success with `data` (null for writes), or an in-band failure. */
export type Outcome =
  | { status: 0; data: unknown; detail?: undefined }
  | { status: number; detail?: string | undefined; data?: undefined }

export type Validated<T> = { ok: true; value: T } | { ok: false; detail: string }

/**
 * One vendor endpoint: a module per operation, registered in `registry.ts`. The shared pipeline
 * (pipeline/run-operation.ts) does IP → Api-Key/Sign → Timestamp → body checks → `validate` →
 * `handle` → envelope, so a new endpoint is a new file.
 */
export interface Operation<Req = unknown> {
  def: OperationDef
  /**
   * The request as one value: a POST's parsed JSON body, a GET's query parameters. `secrets`
   * (every account's) are redacted from anything a reason echoes, such as field names.
   */
  validate(request: unknown, options: MockOptions, secrets?: Secrets): Validated<Req>
  handle(request: Req, ctx: OperationContext): Outcome
  /** Awaited before the first request is handled: loads what `validate`/`handle` need (SheetJS…). */
  prepare?: () => Promise<unknown>
  /** The body limit of this operation when it is not `--max-body-bytes` (an upload's file is larger). */
  maxBodyBytes?: (options: MockOptions) => number
  /** The code for a body over that limit, when the page has its own (upload: -38 file too large); default -22. */
  tooLargeStatus?: number
  /** Envelope bytes for a success; default JSON.stringify (preview/query reuses cached record bytes). */
  serialize?: (envelope: Envelope) => Uint8Array<ArrayBuffer> | string
}

export interface Envelope {
  status: number | string
  reason: string
  data?: unknown
}

export const ok = (data: unknown = null): Outcome => ({ status: 0, data })
export const fail = (status: number, detail?: string): Outcome =>
  detail === undefined ? { status } : { status, detail }
