import type { OperationDef, OperationStatus } from './types.js'

// Rows shared by every page: their reasons equal STATUS_CODES' (a test holds them together).
// Plain object literals: a bundler drops them with the operations that use them.
export const SUCCESS_ROW: OperationStatus = { code: 0, key: 'SUCCESS', reason: 'success', meaning: 'success' }
export const AUTHENTICATION_ROW: OperationStatus = {
  code: -1,
  key: 'AUTHENTICATION',
  reason: 'Account authentication exception',
  meaning: 'authentication error (bad Api-Key or Sign)',
}
export const IP_RESTRICTED_ROW: OperationStatus = {
  code: -2,
  key: 'IP_RESTRICTED',
  reason: 'IP restricted',
  meaning: "caller IP not on the account's allowlist",
}
export const TIMESTAMP_EXPIRED_ROW: OperationStatus = {
  code: -16,
  key: 'TIMESTAMP_EXPIRED',
  reason: 'timestamp expires',
  meaning: 'timestamp expired',
}
export const SYSTEM_ROW: OperationStatus = {
  code: -18,
  key: 'SYSTEM',
  reason: 'System exception',
  meaning: 'system error',
}
export const DATA_EXISTS_ROW: OperationStatus = {
  code: -20,
  key: 'DATA_EXISTS',
  reason: 'Data already exists',
  meaning: 'data already exists',
}
export const PARAMETER_ROW: OperationStatus = {
  code: -22,
  key: 'PARAMETER',
  reason: 'Parameter exception',
  meaning: 'parameter error',
}
export const DATA_LIMIT_ROW: OperationStatus = {
  code: -23,
  key: 'DATA_LIMIT',
  reason: 'Data limit reached',
  meaning: 'data limit reached',
}

/** 0, -1, -2, -16, -18: the block every page's table starts with (CC-FAMILY §3). */
export const COMMON_ROWS: readonly OperationStatus[] = [
  SUCCESS_ROW,
  AUTHENTICATION_ROW,
  IP_RESTRICTED_ROW,
  TIMESTAMP_EXPIRED_ROW,
  SYSTEM_ROW,
]

/** The common block plus -20, -22, -23: the table most `cc` list and write pages print. */
// Listed, not spread: a bundler counts a spread as a possible side effect and keeps it.
export const CC_ROWS: readonly OperationStatus[] = [
  SUCCESS_ROW,
  AUTHENTICATION_ROW,
  IP_RESTRICTED_ROW,
  TIMESTAMP_EXPIRED_ROW,
  SYSTEM_ROW,
  DATA_EXISTS_ROW,
  PARAMETER_ROW,
  DATA_LIMIT_ROW,
]

/**
 * An operation whose table is `tables` joined in order (e.g. CC_ROWS, then the page's own rows),
 * frozen so no consumer can edit a table another consumer reads. The rows go in as separate
 * arguments rather than a spread so that a call marked pure is dropped whole when unused.
 */
export function defineOperation(
  def: Omit<OperationDef, 'statuses'>,
  ...tables: ReadonlyArray<readonly OperationStatus[]>
): OperationDef {
  const statuses = Object.freeze(tables.flat().map((s) => Object.freeze({ ...s })))
  return Object.freeze({ ...def, statuses })
}

/** The row for `code` on this operation, or undefined when the page does not list it. */
export function operationStatus(op: OperationDef, code: number): OperationStatus | undefined {
  return op.statuses.find((s) => s.code === code)
}
