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

describe('sensitive fields a careless or hostile client sends', () => {
  it('masks phones inside arrays and drops values nested past 32 levels', () => {
    expect(redactSensitiveJson({ displayNum: ['8613512349876', 8613512349876] })).toEqual({
      displayNum: ['*********9876', '*********9876'],
    })
    let deep: unknown = { password: 'Zq9PassWord77' }
    for (let i = 0; i < 40; i++) deep = { a: deep }
    expect(JSON.stringify(redactSensitiveJson(deep))).not.toContain('Zq9PassWord77')
  })

  it('redacts single-quoted pairs, form bodies and phones written with parentheses or spaces', () => {
    const texts = [
      "{'password':'Zq9PassWord77','displayNum':'8613512349876'}",
      'keyId=1&password=Zq9PassWord77&displayNum=8613512349876',
      '{"displayNum":"(86) 8613512349876","password":"Zq9PassWord77"',
      '{"displayNum":["+86 135 1234 9876"]}',
    ]
    for (const text of texts) {
      const out = redactSensitiveText(text)
      expect(out).not.toContain('Zq9PassWord77')
      expect(out.replace(/\D/g, '')).not.toContain('1351234')
    }
  })
})

describe('uploaded files', () => {
  it('stand in by their size, parsed or as (cut) text', () => {
    expect(redactSensitiveJson({ fileName: 'a.xls', file: 'UEsDBBQAAAAIAAAAAAC' })).toEqual({
      fileName: 'a.xls',
      file: '[file: 19 base64 characters]',
    })
    const out = redactSensitiveText('{"fileName":"a.xls","file":"UEsDBBQAAAAIAAAAAACkAYS4WgEAALUCAAAaA')
    expect(out).toBe('{"fileName":"a.xls","file":"[file: 37 base64 characters]"')
  })
})

describe('how many phone digits stay', () => {
  it('is a parameter: 0 masks the number whole', () => {
    expect(maskPhone('8613500001234', 0)).toBe('*************')
    expect(maskPhone('8613500001234', 2)).toBe('***********34')
    expect(redactSensitiveJson({ displayNum: '8613500001234' }, 0, 0)).toEqual({
      displayNum: '*************',
    })
    expect(redactSensitiveText('{"displayNum":"8613500001234"}', 1)).toBe('{"displayNum":"************4"}')
  })
})
