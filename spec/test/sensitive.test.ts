import { SENSITIVE_FIELDS } from '@laaffic-kit/protocol'
import { describe, expect, it } from 'vitest'
import { sensitiveFields } from '../src/index.js'

describe('sensitive fields', () => {
  it("protocol's redaction lists equal the spec's x-sensitive markers", () => {
    const spec = sensitiveFields()
    expect([...SENSITIVE_FIELDS.password].sort()).toEqual(spec.password)
    expect([...SENSITIVE_FIELDS.phone].sort()).toEqual(spec.phone)
    expect([...SENSITIVE_FIELDS.file].sort()).toEqual(spec.file)
    expect(Object.keys(spec).sort()).toEqual(['file', 'password', 'phone'])
  })
})
