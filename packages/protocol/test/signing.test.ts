import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  computeSign,
  createSignVerifier,
  SIGNING_TEST_VECTOR,
  signHeaders,
  toTimestampSeconds,
  verifySign,
} from '../src/index.js'

const { apiKey, apiSecret, timestamp, sign } = SIGNING_TEST_VECTOR

describe('computeSign', () => {
  it("reproduces the vendor's test vector", () => {
    expect(computeSign('bDqJFiq9', '7bz1lzh9', 1630468800)).toBe('05d7a50893e22a5c4bb3216ae3396c7c')
    expect(computeSign(apiKey, apiSecret, String(timestamp))).toBe(sign)
  })

  it('changes with every input', () => {
    const base = computeSign(apiKey, apiSecret, timestamp)
    expect(computeSign(`${apiKey}x`, apiSecret, timestamp)).not.toBe(base)
    expect(computeSign(apiKey, `${apiSecret}x`, timestamp)).not.toBe(base)
    expect(computeSign(apiKey, apiSecret, timestamp + 1)).not.toBe(base)
  })

  it('agrees with node:crypto over UTF-8 for arbitrary inputs', () => {
    const samples = ['', 'é', '坐席', 'key with spaces', '\u{1F600}', 'a'.repeat(200)]
    for (const a of samples)
      for (const b of samples) {
        const oracle = createHash('md5').update(`${a}${b}1630468800`, 'utf8').digest('hex')
        expect(computeSign(a, b, 1630468800)).toBe(oracle)
      }
  })
})

describe('signHeaders', () => {
  it('builds the three headers with the timestamp in seconds', () => {
    expect(signHeaders(apiKey, apiSecret, toTimestampSeconds(1630468800_999))).toEqual({
      'Api-Key': apiKey,
      Timestamp: '1630468800',
      Sign: sign,
    })
  })
})

describe('verifySign', () => {
  it('accepts the right Sign in either case', () => {
    expect(verifySign(sign, apiKey, apiSecret, timestamp)).toBe(true)
    expect(verifySign(sign.toUpperCase(), apiKey, apiSecret, String(timestamp))).toBe(true)
  })
  it.each([
    ['empty', ''],
    ['short', sign.slice(0, 31)],
    ['long', `${sign}0`],
    ['non-hex', `${sign.slice(0, 31)}g`],
    ['one digit off', `${sign.slice(0, 31)}d`],
    ['padded', ` ${sign}`],
  ])('rejects a %s Sign', (_name, bad) => {
    expect(verifySign(bad, apiKey, apiSecret, timestamp)).toBe(false)
  })
})

describe('createSignVerifier', () => {
  it('accepts the vendor vector in either case and rejects what verifySign rejects', () => {
    const verify = createSignVerifier(apiKey, apiSecret)
    expect(verify(sign, timestamp)).toBe(true)
    expect(verify(sign.toUpperCase(), String(timestamp))).toBe(true)
    for (const bad of ['', sign.slice(0, 31), `${sign}0`, `${sign.slice(0, 31)}d`, ` ${sign}`])
      expect(verify(bad, timestamp)).toBe(false)
  })

  it('agrees with verifySign across more timestamps than it remembers, in any order', () => {
    const verify = createSignVerifier(apiKey, apiSecret, 3)
    const other = createSignVerifier(apiKey, 'another-secret', 3)
    const stamps = [1, 2, 3, 4, 1, 5, 2, 2, 6, 1, 3, 4, 7, 1].map((d) => timestamp + d)
    for (const t of stamps) {
      const right = computeSign(apiKey, apiSecret, t)
      const wrongSecret = computeSign(apiKey, 'another-secret', t)
      expect(verify(right, t)).toBe(true)
      expect(verify(wrongSecret, t)).toBe(false)
      expect(verify(right, t + 1)).toBe(verifySign(right, apiKey, apiSecret, t + 1))
      expect(other(wrongSecret, String(t))).toBe(true)
    }
  })
})
