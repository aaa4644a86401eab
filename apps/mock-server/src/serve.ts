import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import type { Hono } from 'hono'
import { type CreateMockAppOptions, createMockApp, type MockEnv, type MockState, mockState } from './app.js'

export interface RunningMock {
  /** `http://HOST:PORT` with the real bound port. */
  url: string
  port: number
  host: string
  app: Hono<MockEnv>
  state: MockState
  /** Stops accepting, ends idle keep-alive sockets and resolves when the server is closed. */
  close(): Promise<void>
}

/** Formats a host for a URL (IPv6 literals need brackets). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
}

/**
 * Starts the mock on a real socket (port 0 picks a free one). Used by the CLI and by other
 * packages' tests that need a real server in process.
 */
export async function serveMock(options: CreateMockAppOptions = {}): Promise<RunningMock> {
  const app = createMockApp(options)
  const state = mockState(app)
  const { host, port } = state.options
  // A shared store is caught up with before the first request (a replica joining replays the log).
  await state.shared.start()
  const server = createAdaptorServer({ fetch: app.fetch }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (err: unknown) => {
    await state.shared.close()
    throw err
  })
  const bound = (server.address() as AddressInfo).port
  // /__admin/config then reports the port actually bound, not the 0 that asked for any.
  state.options = { ...state.options, port: bound }
  let closing: Promise<void> | undefined
  return {
    url: `http://${urlHost(host)}:${bound}`,
    port: bound,
    host,
    app,
    state,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => void state.shared.close().then(resolve, resolve))
        server.closeIdleConnections()
        // In-flight requests get a moment; then sockets are cut so shutdown cannot hang.
        setTimeout(() => server.closeAllConnections(), 2000).unref()
      })
      return closing
    },
  }
}
