import { md5 } from '@noble/hashes/legacy.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** Header names, spelled as the vendor's example request spells them. */
export const HEADER = /* @__PURE__ */ Object.freeze({
  apiKey: 'Api-Key',
  timestamp: 'Timestamp',
  sign: 'Sign',
} as const)

/**
 * The vendor's public example account and the Sign its docs print for it. Anyone can use
 * it to check a signer: md5("bDqJFiq9" + "7bz1lzh9" + "1630468800").
 */
export const SIGNING_TEST_VECTOR = /* @__PURE__ */ Object.freeze({
  apiKey: 'bDqJFiq9',
  apiSecret: '7bz1lzh9',
  timestamp: 1630468800,
  sign: '05d7a50893e22a5c4bb3216ae3396c7c',
} as const)

/** Whole seconds since the epoch, as the `Timestamp` header wants it. */
export function toTimestampSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000)
}

/**
 * `Sign` = md5(apiKey + apiSecret + timestamp-in-seconds), lower-case hex.
 * MD5 is not in WebCrypto, so @noble/hashes keeps this runnable in browsers and edge runtimes.
 */
export function computeSign(apiKey: string, apiSecret: string, timestampSeconds: number | string): string {
  return bytesToHex(md5(utf8ToBytes(`${apiKey}${apiSecret}${timestampSeconds}`)))
}

/** The three signing headers for one attempt. */
export function signHeaders(
  apiKey: string,
  apiSecret: string,
  timestampSeconds: number,
): { 'Api-Key': string; Timestamp: string; Sign: string } {
  return {
    [HEADER.apiKey]: apiKey,
    [HEADER.timestamp]: String(timestampSeconds),
    [HEADER.sign]: computeSign(apiKey, apiSecret, timestampSeconds),
  }
}

const HEX32 = /^[0-9a-fA-F]{32}$/

/**
 * Compares a received Sign with the expected one case-insensitively (hex is hex) and in
 * time that does not depend on where they differ, so a caller cannot probe it byte by byte.
 */
export function verifySign(
  received: string,
  apiKey: string,
  apiSecret: string,
  timestamp: string | number,
): boolean {
  return HEX32.test(received) && sameHex(received, computeSign(apiKey, apiSecret, timestamp))
}

/** `received` (32 hex digits, any case) equals lower-case `expected`, in constant time. */
function sameHex(received: string, expected: string): boolean {
  const got = received.toLowerCase()
  let diff = 0
  for (let i = 0; i < 32; i++) diff |= got.charCodeAt(i) ^ expected.charCodeAt(i)
  return diff === 0
}

/**
 * {@link verifySign} for one account that remembers the expected Sign of its last few
 * Timestamps: a server sees many requests a second with the same Timestamp, and md5 in JS
 * costs ~3 µs each. Same answers as verifySign, in the same constant time per comparison.
 */
export function createSignVerifier(
  apiKey: string,
  apiSecret: string,
  remember = 8,
): (received: string, timestamp: string | number) => boolean {
  const expectedByTimestamp = new Map<string, string>()
  return (received, timestamp) => {
    if (!HEX32.test(received)) return false
    const key = String(timestamp)
    let expected = expectedByTimestamp.get(key)
    if (expected === undefined) {
      expected = computeSign(apiKey, apiSecret, key)
      if (expectedByTimestamp.size >= remember) {
        const oldest = expectedByTimestamp.keys().next().value
        if (oldest !== undefined) expectedByTimestamp.delete(oldest)
      }
      expectedByTimestamp.set(key, expected)
    }
    return sameHex(received, expected)
  }
}
