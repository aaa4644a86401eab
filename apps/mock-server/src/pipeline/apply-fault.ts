import { STATUS } from '@laaffic-kit/protocol'
import type { Context } from 'hono'
import { type Fault, httpFaultText, MockConnectionReset, sleep, truncateJson } from '../faults.js'
import type { Envelope } from '../operations/operation.js'
import type { MockEnv } from './env.js'

export function faultLabel(f: Fault): string {
  switch (f.kind) {
    case 'http':
      return `http-${f.httpStatus}`
    case 'delay':
      return `delay=${f.ms}`
    default:
      return f.kind
  }
}

/** Transport misbehaviour on demand; `normal` is the answer the request would otherwise get. */
export async function applyFault(
  c: Context<MockEnv>,
  fault: Fault,
  envelope: (status: number, detail?: string) => Envelope,
  normal: () => Envelope | Promise<Envelope>,
): Promise<Response> {
  switch (fault.kind) {
    case 'http': {
      const headers: Record<string, string> = fault.httpStatus === 429 ? { 'Retry-After': '1' } : {}
      // A JSON body that still fits the envelope schema, so a client's parser is not the thing tested.
      const body = envelope(
        STATUS.SYSTEM,
        `mock fault http-${fault.httpStatus} ${httpFaultText(fault.httpStatus)}`,
      )
      return c.json(body, fault.httpStatus, headers)
    }
    case 'malformed': {
      const text = JSON.stringify(await normal())
      return c.body(truncateJson(text), 200, { 'Content-Type': 'application/json;charset=UTF-8' })
    }
    case 'reset': {
      const socket = c.env?.incoming?.socket
      if (!socket) throw new MockConnectionReset()
      socket.destroy()
      return c.body(null, 500)
    }
    case 'delay':
      await sleep(fault.ms)
      return c.json(await normal(), 200)
  }
}
