import { BlockList, isIP } from 'node:net'
import { STATUS } from '@laaffic-kit/protocol'
import type { MockOptions } from './options.js'

export interface Rejection {
  status: number
  detail?: string
}

/** Allowlist check; an empty list allows all. An unknown address (in-process requests) is 127.0.0.1. */
export function createIpCheck(allow: readonly string[]): (address: string | undefined) => boolean {
  if (allow.length === 0) return () => true
  const list = new BlockList()
  for (const item of allow) {
    const [addr = '', prefix] = item.split('/')
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4'
    if (prefix === undefined) list.addAddress(addr, type)
    else list.addSubnet(addr, Number(prefix), type)
  }
  return (address) => {
    let a = address ?? '127.0.0.1'
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d.
    if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7)
    const family = isIP(a)
    if (family === 0) return false
    return list.check(a, family === 6 ? 'ipv6' : 'ipv4')
  }
}

const DIGITS = /^\d{1,19}$/

/**
 * Api-Key, Sign, then Timestamp: a missing or non-numeric Timestamp cannot produce a valid
 * Sign, so it is -1; a well-signed stale one is -16 (the vendor documents both codes but not
 * their order; see the README's assumptions). `account` is the one the Api-Key names, if any.
 */
export function checkCredentials(
  headers: { apiKey: string | undefined; timestamp: string | undefined; sign: string | undefined },
  account: { verify: (received: string, timestamp: string) => boolean } | undefined,
  options: Pick<MockOptions, 'timestampWindow' | 'signCase'>,
  now: number,
): Rejection | undefined {
  const { apiKey, timestamp, sign } = headers
  if (!apiKey) return { status: STATUS.AUTHENTICATION, detail: 'Api-Key header is missing' }
  if (!account) return { status: STATUS.AUTHENTICATION, detail: 'unknown Api-Key' }
  if (!timestamp || !DIGITS.test(timestamp)) {
    return { status: STATUS.AUTHENTICATION, detail: 'Timestamp header must be Unix seconds' }
  }
  if (!sign) return { status: STATUS.AUTHENTICATION, detail: 'Sign header is missing' }
  const caseOk = options.signCase === 'any' || sign === sign.toLowerCase()
  if (!caseOk || !account.verify(sign, timestamp)) {
    return { status: STATUS.AUTHENTICATION, detail: 'Sign does not match' }
  }
  if (Math.abs(Number(timestamp) - now) > options.timestampWindow) return { status: STATUS.TIMESTAMP_EXPIRED }
  return undefined
}
