/**
 * The in-band status codes of LAAFFIC's v3 API as listed on the previewQuery page.
 * The vendor answers HTTP 200 for all of them; only `status` tells success from failure.
 * The `reason` texts are what the laaffic-kit mock prints: the vendor publishes only
 * `success` and `timestamp expires` verbatim, the rest are English renderings of the
 * Chinese table.
 */
export const STATUS_CODES = [
  { code: 0, key: 'SUCCESS', zh: '成功', reason: 'success', retryable: false },
  {
    code: -1,
    key: 'AUTHENTICATION',
    zh: '账号认证异常',
    reason: 'Account authentication exception',
    retryable: false,
  },
  { code: -2, key: 'IP_RESTRICTED', zh: 'ip限制', reason: 'IP restricted', retryable: false },
  { code: -16, key: 'TIMESTAMP_EXPIRED', zh: '时间戳过期', reason: 'timestamp expires', retryable: false },
  // -18 is the only documented code a retry can cure: the server itself failed.
  { code: -18, key: 'SYSTEM', zh: '系统异常', reason: 'System exception', retryable: true },
  { code: -20, key: 'DATA_EXISTS', zh: '数据已存在', reason: 'Data already exists', retryable: false },
  { code: -22, key: 'PARAMETER', zh: '参数异常', reason: 'Parameter exception', retryable: false },
  { code: -23, key: 'DATA_LIMIT', zh: '数据上限', reason: 'Data limit reached', retryable: false },
] as const

export type StatusInfo = (typeof STATUS_CODES)[number]
export type StatusKey = StatusInfo['key']
export type KnownStatusCode = StatusInfo['code']
export type FailureStatusCode = Exclude<KnownStatusCode, 0>

/** `STATUS.PARAMETER === -22`, and so on. */
// Pure annotations let bundlers drop the tables a consumer does not use (the client ships none).
export const STATUS = /* @__PURE__ */ Object.freeze(
  Object.fromEntries(STATUS_CODES.map((s) => [s.key, s.code])) as {
    [K in StatusKey]: Extract<StatusInfo, { key: K }>['code']
  },
)

const byCode = /* @__PURE__ */ new Map<number, StatusInfo>(STATUS_CODES.map((s) => [s.code, s]))

/** The table row for a code, or undefined for a code this endpoint does not document. */
export function statusInfo(code: number): StatusInfo | undefined {
  return byCode.get(code)
}

export function isKnownStatus(code: number): code is KnownStatusCode {
  return byCode.has(code)
}

const NUMERIC = /^\s*-?\d+\s*$/

/**
 * The vendor prints `status` as the number `0` or the string `"0"`. Returns the code as a
 * number, or undefined when the value is neither an integer nor a numeric string.
 */
export function normalizeStatus(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined
  if (typeof value === 'string' && NUMERIC.test(value)) return Number.parseInt(value, 10)
  return undefined
}
