/**
 * Loads the mock's in-process API. Typed loosely on purpose: the benchmark should survive small
 * changes to the mock's option shapes, and only needs `createMockApp(options).fetch/request`.
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
