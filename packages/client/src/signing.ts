import { signHeaders, toTimestampSeconds } from '@laaffic-kit/protocol'
import type { Middleware } from 'openapi-fetch'

export interface SigningState {
  readonly apiKey: string
  readonly apiSecret: string
  /** Local clock, epoch ms. */
  readonly now: () => number
  /** Server time minus local time, in ms; moved by the clock-skew correction. */
  clockOffsetMs: number
}

/**
 * openapi-fetch middleware that stamps `Api-Key`, `Timestamp` and `Sign` on every request it
 * sends. It runs once per `fetch`, so each retry attempt is signed afresh with the time of
 * that attempt. The rule itself lives in @laaffic-kit/protocol.
 * It also sets the vendor's exact `Content-Type`.
 */
export function signingMiddleware(state: SigningState): Middleware {
  return {
    onRequest({ request }) {
      // The charset is spelled out because the vendor's example request does.
      request.headers.set('Content-Type', 'application/json;charset=UTF-8')
      const seconds = toTimestampSeconds(state.now() + state.clockOffsetMs)
      for (const [name, value] of Object.entries(signHeaders(state.apiKey, state.apiSecret, seconds))) {
        request.headers.set(name, value)
      }
      return request
    },
  }
}
