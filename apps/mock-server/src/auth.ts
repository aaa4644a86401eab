import { STATUS } from '@laaffic-kit/protocol'
import ipaddr from 'ipaddr.js'
import type { MockOptions } from './options.js'

export interface Rejection {
  status: number
  detail?: string
}

type Address = ipaddr.IPv4 | ipaddr.IPv6

/**
 * A socket address or an allowlist entry, or undefined when it is neither. Strict like
 * node:net's isIP (which parseAllowIp uses): IPv4 only as four decimal parts (ipaddr.js alone
 * would also take `127.1` or `0x7f.0.0.1`), IPv6 in any RFC 4291 form, a zone id allowed.
 */
function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text)
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text)
  return undefined
}

/** node:net's isIP without node:net: 4, 6, or 0 for neither (options.ts can use it for --allow-ip). */
export function ipFamily(text: string): 0 | 4 | 6 {
  const a = parseAddress(text)
  return a === undefined ? 0 : a.kind() === 'ipv4' ? 4 : 6
}

/** The address and, for IPv4 or IPv4-mapped IPv6, the other spelling of the same host. */
function spellings(a: Address): Address[] {
  if (a.kind() === 'ipv4') return [a, (a as ipaddr.IPv4).toIPv4MappedAddress()]
  const v6 = a as ipaddr.IPv6
  return v6.isIPv4MappedAddress() ? [v6, v6.toIPv4Address()] : [v6]
}

/**
 * Allowlist check; an empty list allows all. An unknown address (in-process requests, or a
 * runtime whose bindings carry no socket, such as Bun.serve) is 127.0.0.1. Plain JavaScript
 * (ipaddr.js), no node:net, so the app runs on any runtime Hono does; matching is node:net
 * BlockList's: an entry is an address or a CIDR, and an IPv4 host matches its IPv4-mapped IPv6
 * spelling (`::ffff:a.b.c.d`, what dual-stack sockets report) and the other way round.
 */
export function createIpCheck(allow: readonly string[]): (address: string | undefined) => boolean {
  if (allow.length === 0) return () => true
  const rules: [Address, number][] = []
  for (const item of allow) {
    const [text = '', prefix] = item.split('/')
    const addr = parseAddress(text)
    // resolveOptions already refused anything else; an entry that still does not parse allows nothing.
    if (!addr) continue
    const bits = prefix === undefined ? (addr.kind() === 'ipv4' ? 32 : 128) : Number(prefix)
    rules.push([addr, bits])
  }
  return (address) => {
    const a = parseAddress(address ?? '127.0.0.1')
    if (!a) return false
    const forms = spellings(a)
    return rules.some(([net, bits]) => forms.some((f) => f.kind() === net.kind() && f.match(net, bits)))
  }
}

/**
 * The client's address from the runtime's bindings: @hono/node-server passes `{ incoming }`
 * (the IncomingMessage), Bun.serve passes its Server, whose `requestIP(request)` knows it.
 * Undefined in process (app.request) or on a runtime that tells neither.
 */
export function remoteAddress(env: unknown, request: Request): string | undefined {
  if (typeof env !== 'object' || env === null) return undefined
  const e = env as {
    incoming?: { socket?: { remoteAddress?: string } }
    requestIP?: (r: Request) => { address: string } | null
  }
  if (e.incoming) return e.incoming.socket?.remoteAddress
  return typeof e.requestIP === 'function' ? (e.requestIP(request)?.address ?? undefined) : undefined
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
