import { computeSign, ENDPOINT_PATH } from '@laaffic-kit/protocol'

/** The mock's default account (the vendor's public example account). */
export const API_KEY = 'bDqJFiq9'
export const API_SECRET = '7bz1lzh9'
export { ENDPOINT_PATH }

/** The mock's clock is frozen here (`--now`) so precomputed Sign headers stay valid for the whole run. */
export const FROZEN_NOW_MS = Date.UTC(2025, 1, 1, 4, 0, 0) // 2025-02-01 12:00:00 UTC+8
export const FROZEN_TS = Math.floor(FROZEN_NOW_MS / 1000)

export function signedHeaders(ts: number = FROZEN_TS): Record<string, string> {
  return {
    'content-type': 'application/json;charset=UTF-8',
    'Api-Key': API_KEY,
    Timestamp: String(ts),
    Sign: computeSign(API_KEY, API_SECRET, ts),
  }
}

/** The vendor's example query shape: first page of 15, no filter. */
export const QUERY_BODY = JSON.stringify({ current: 1, size: 15, params: {} })

/** true for an envelope whose in-band status is 0 (number or numeric string). */
export function isSuccessEnvelope(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const status = (value as { status?: unknown }).status
  return status === 0 || status === '0'
}
