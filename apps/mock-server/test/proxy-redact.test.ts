import { describe, expect, it } from 'vitest'
import { parseProxyArgs } from '../src/proxy/options.js'
import { redactBody, redactQuery } from '../src/proxy/redact.js'

const ENV = { LAAFFIC_API_KEY: 'UPKEY123', LAAFFIC_API_SECRET: 'upsecret' }

describe('how many phone digits a recording keeps (--phone-digits)', () => {
  it('keeps 4 by default, any 0 to 8 when asked; 0 masks the number whole', () => {
    const body = JSON.stringify({ keyId: 1, displayNum: '639171234567' })
    expect(redactBody(body, [])).toContain('"displayNum":"********4567"')
    expect(redactBody(body, [], 0)).toContain('"displayNum":"************"')
    expect(redactBody('displayNum=639171234567', [], 2)).toBe('displayNum=**********67')
    const query = redactQuery(new URLSearchParams({ displayNum: '639171234567' }), [], 0)
    expect(query).toEqual([{ name: 'displayNum', value: '************' }])
  })

  it('is a proxy flag with a one-line error for a bad value', () => {
    const base = ['--upstream', 'http://127.0.0.1:9']
    expect(parseProxyArgs(base, ENV).options?.phoneDigits).toBe(4)
    expect(parseProxyArgs([...base, '--phone-digits', '0'], ENV).options?.phoneDigits).toBe(0)
    expect(() => parseProxyArgs([...base, '--phone-digits', '9'], ENV)).toThrow(
      '--phone-digits must be a whole number from 0 to 8',
    )
  })
})
