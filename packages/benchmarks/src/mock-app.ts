/**
 * Loads the mock's in-process API. Typed loosely on purpose: the benchmark should survive small
 * changes to the mock's option shapes, and only needs `createMockApp(options).fetch` and
 * `serveMock(options)`'s url, app and close.
 */
import { FROZEN_TS } from './fixtures.js'

export interface FetchApp {
  fetch: (request: Request) => Response | Promise<Response>
}

const MOCK_MODULE = '@laaffic-kit/mock-server'

export async function createInProcessMock(options: Record<string, unknown>): Promise<FetchApp> {
  const mod = (await import(MOCK_MODULE)) as { createMockApp?: (o: Record<string, unknown>) => unknown }
  if (typeof mod.createMockApp !== 'function')
    throw new Error(`${MOCK_MODULE} does not export createMockApp yet`)
  const created = (await mod.createMockApp({ now: FROZEN_TS, logLevel: 'silent', ...options })) as
    | FetchApp
    | { app: FetchApp }
  const app = 'fetch' in created ? created : created.app
  if (typeof app?.fetch !== 'function') throw new Error('createMockApp() returned no fetch handler')
  return app
}

export interface ServedMock {
  url: string
  /** The same app the server answers with, for timing in process. */
  app: FetchApp
  close: () => Promise<void>
}

/**
 * The mock as its CLI runs it (`serveMock`: @hono/node-server on 127.0.0.1, a free port), in
 * this process, so this process's memory is the mock's while another process sends the load.
 */
export async function serveInProcessMock(options: Record<string, unknown>): Promise<ServedMock> {
  const mod = (await import(MOCK_MODULE)) as {
    serveMock?: (o: Record<string, unknown>) => Promise<ServedMock>
  }
  if (typeof mod.serveMock !== 'function') throw new Error(`${MOCK_MODULE} does not export serveMock`)
  const running = await mod.serveMock({
    now: FROZEN_TS,
    logLevel: 'silent',
    host: '127.0.0.1',
    port: 0,
    ...options,
  })
  return { url: running.url, app: running.app, close: () => running.close() }
}
