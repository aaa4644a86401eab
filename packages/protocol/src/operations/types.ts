import type { StatusKey } from '../status.js'

/** The operationIds of spec/openapi.yaml, one per vendor endpoint the kit covers. */
export type OperationId =
  | 'queryPreviewTasks'
  | 'querySeatGroups'
  | 'addSeatGroup'
  | 'updateSeatGroup'
  | 'deleteSeatGroup'
  | 'querySeats'
  | 'addSeats'
  | 'updateSeat'
  | 'batchSeats'
  | 'uploadPreviewFile'
  | 'submitPreviewTask'
  | 'editPreviewTask'
  | 'cancelPreviewTask'
  | 'resendPreviewTask'

/** One row of an operation's status table. */
export interface OperationStatus {
  readonly code: number
  /**
   * The STATUS_CODES key, set only where the code means what the shared table says (0, -1, -2,
   * -16, -18, -20, -22, -23): those keep their client error classes. Codes whose meaning depends
   * on the endpoint (-63, -64, …) have none.
   */
  readonly key?: StatusKey
  /** The reason text the laaffic-kit mock prints (English renderings; the vendor prints few verbatim). */
  readonly reason: string
  /** What the code means on this endpoint; equals the spec's `x-status-codes[].meaning`. */
  readonly meaning: string
}

export interface OperationDef {
  readonly id: OperationId
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly statuses: readonly OperationStatus[]
}
