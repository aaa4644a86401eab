import { describe, expect, it } from 'vitest'
import { isKnownStatus, normalizeStatus, STATUS, STATUS_CODES, statusInfo } from '../src/index.js'

describe('status table', () => {
  it('holds the eight codes of the previewQuery page, once each', () => {
    expect(STATUS_CODES.map((s) => s.code)).toEqual([0, -1, -2, -16, -18, -20, -22, -23])
    expect(new Set(STATUS_CODES.map((s) => s.key)).size).toBe(8)
  })
  it('keeps the two reasons the vendor prints verbatim', () => {
    expect(statusInfo(0)?.reason).toBe('success')
    expect(statusInfo(-16)?.reason).toBe('timestamp expires')
  })
  it('names codes by key', () => {
    expect(STATUS.PARAMETER).toBe(-22)
    expect(STATUS.SYSTEM).toBe(-18)
  })
  it('marks only -18 retryable', () => {
    expect(STATUS_CODES.filter((s) => s.retryable).map((s) => s.code)).toEqual([-18])
  })
  it('knows the documented codes and nothing else', () => {
    expect(isKnownStatus(-22)).toBe(true)
    expect(isKnownStatus(-15)).toBe(false)
    expect(statusInfo(-24)).toBeUndefined()
  })
})

describe('normalizeStatus', () => {
  it.each([
    [0, 0],
    ['0', 0],
    [-22, -22],
    ['-22', -22],
    [' -1 ', -1],
    ['-15', -15],
  ])('reads %j as %d', (input, expected) => {
    expect(normalizeStatus(input)).toBe(expected)
  })
  it.each([[null], [undefined], [''], ['ok'], ['1.5'], [1.5], [Number.NaN], [true], [{}], [[0]]])(
    'rejects %j',
    (input) => {
      expect(normalizeStatus(input)).toBeUndefined()
    },
  )
})
