import { describe, expect, it } from 'vitest'
import { redactSignShaped, SIGN_SHAPED_SOURCE, SIGNING_TEST_VECTOR } from '../src/index.js'

const { sign } = SIGNING_TEST_VECTOR

describe('redactSignShaped', () => {
  it.each([
    ['a bare Sign', sign, '[redacted]'],
    ['an upper-case Sign', sign.toUpperCase(), '[redacted]'],
    ['a Sign in a sentence', `Sign: ${sign}.`, 'Sign: [redacted].'],
    // The old client rule (\b[0-9a-fA-F]{32}\b) let both of these through whole.
    ['a Sign inside a longer hex run, whole', `${sign}abc`, '[redacted]'],
    ['a Sign glued to word characters', `x${sign}_y`, 'x[redacted]_y'],
    ['two Signs', `${sign} and ${sign.toUpperCase()}`, '[redacted] and [redacted]'],
  ])('redacts %s', (_name, text, expected) => {
    expect(redactSignShaped(text)).toBe(expected)
  })

  it('leaves 31 hex digits and non-hex runs alone', () => {
    expect(redactSignShaped(sign.slice(0, 31))).toBe(sign.slice(0, 31))
    expect(redactSignShaped(`${sign.slice(0, 31)}g${sign.slice(0, 31)}`)).toBe(
      `${sign.slice(0, 31)}g${sign.slice(0, 31)}`,
    )
    expect(redactSignShaped('no secrets here')).toBe('no secrets here')
  })

  it('carries no state between calls (a shared global regex must not skip a match)', () => {
    // With .test/.exec a global regex resumes at lastIndex; replace must not be affected.
    for (let i = 0; i < 5; i++) {
      expect(redactSignShaped(`aa ${sign}`)).toBe('aa [redacted]')
      expect(redactSignShaped(sign)).toBe('[redacted]')
    }
  })

  it('uses the replacement literally', () => {
    expect(redactSignShaped(sign, '$&')).toBe('$&')
    expect(redactSignShaped(`<${sign}>`, '***')).toBe('<***>')
  })

  it('matches what SIGN_SHAPED_SOURCE describes', () => {
    const re = new RegExp(`^(?:${SIGN_SHAPED_SOURCE})$`)
    for (const text of [sign, sign.toUpperCase(), `${sign}0`, sign.slice(0, 31), `${sign.slice(0, 31)}g`])
      expect(redactSignShaped(text) === '[redacted]').toBe(re.test(text))
  })
})
