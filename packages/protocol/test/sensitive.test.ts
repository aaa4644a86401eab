import { describe, expect, it } from 'vitest'
import { maskPhone, redactSensitiveJson, redactSensitiveText } from '../src/sensitive.js'

describe('sensitive fields', () => {
  it('keeps only the last 4 digits of a phone number', () => {
    expect(maskPhone('8613500001234')).toBe('*********1234')
    expect(maskPhone('123')).toBe('***')
  })

  it('redacts passwords and masks phones at any depth of parsed JSON', () => {
    const out = redactSensitiveJson({
      keyId: 1,
      password: 'abc123',
      displayNum: '639171234567',
      nested: [{ password: 'x', callingNumber: 8613500001234, name: 'n' }],
    })
    expect(out).toEqual({
      keyId: 1,
      password: '[redacted]',
      displayNum: '********4567',
      nested: [{ password: '[redacted]', callingNumber: '*********1234', name: 'n' }],
    })
    expect(JSON.stringify(out)).not.toContain('abc123')
  })

  it('redacts the same pairs in text, even cut short', () => {
    const text = '{"password":"s3cret","displayNum":"639171234567","name":"a"} {"password":"cut'
    const out = redactSensitiveText(text)
    expect(out).not.toContain('s3cret')
    expect(out).not.toContain('63917123')
    expect(out).toContain('"displayNum":"********4567"')
    expect(out).not.toContain('cut')
  })
})
