import type { HttpBindings } from '@hono/node-server'

type Vars = {
  inBand: number | null
  forced: string | null
  bodyText: string | undefined
  requestId: string
  /** The handler already sent Date and X-Request-Id (the fast path in `answer`). */
  stamped: boolean
}

/** Bindings are absent under app.request (and on Bun), so every use of c.env is guarded. */
export type MockEnv = { Bindings: Partial<HttpBindings>; Variables: Vars }
