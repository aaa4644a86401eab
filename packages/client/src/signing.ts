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
 */
export function signingMiddleware(state: SigningState): Middleware {
  return {
    onRequest({ request }) {
      const seconds = toTimestampSeconds(state.now() + state.clockOffsetMs)
      for (const [name, value] of Object.entries(signHeaders(state.apiKey, state.apiSecret, seconds))) {
        request.headers.set(name, value)
      }
      return request
    },
  }
}
