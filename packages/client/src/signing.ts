import { signHeaders, toTimestampSeconds } from '@laaffic-kit/protocol'
import type { Middleware } from 'openapi-fetch'

export interface SigningState {
  readonly apiKey: string
  readonly apiSecret: string
  /** Local clock, epoch ms. */
  readonly now: () => number
  /** Server time minus local time, in ms; moved by the clock-skew correction. */
  clockOffsetMs: number
  /** The last second signed and its headers (a Sign depends only on key, secret and second). */
  ts?: number
  signed?: ReturnType<typeof signedHeaders>
}

/**
 * The headers one attempt is signed with: `Api-Key`, `Timestamp` (the attempt's own time,
 * clock offset applied) and `Sign`, plus the vendor's exact `Content-Type`. Called once per
 * attempt, by `queryTasks` and by the middleware on `client.raw` alike, so a retry is always
 * signed afresh. The rule itself lives in @laaffic-kit/protocol.
 */
export function signedHeaders(
  state: SigningState,
): { 'Content-Type': string } & ReturnType<typeof signHeaders> {
  const ts = toTimestampSeconds(state.now() + state.clockOffsetMs)
  // md5 in JS was ~3 µs a call; within one second every attempt would compute the same Sign.
  // Callers only read the object (never mutate it), so it is shared until the second changes.
  if (state.ts !== ts) {
    state.ts = ts
    state.signed = {
      // The charset is spelled out because the vendor's example request does.
      'Content-Type': 'application/json;charset=UTF-8',
      ...signHeaders(state.apiKey, state.apiSecret, ts),
    }
  }
  return state.signed!
}

/** openapi-fetch middleware that stamps {@link signedHeaders} on every request `client.raw` sends. */
export function signingMiddleware(state: SigningState): Middleware {
  return {
    onRequest({ request }) {
      for (const [name, value] of Object.entries(signedHeaders(state))) request.headers.set(name, value)
      return request
    },
  }
}
