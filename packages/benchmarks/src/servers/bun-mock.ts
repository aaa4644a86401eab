/**
 * The mock's app under Bun: `bun dist/servers/bun-mock.js --now <ts> [--log-level error] [--module <index.js>]`.
 * The same `createMockApp` the Node CLI serves, handed to `Bun.serve` as Hono intends (`fetch:
 * app.fetch`), on 127.0.0.1 port 0. Prints `http://127.0.0.1:PORT` once listening. Runs under
 * Bun only (the `Bun` global); compiled with the rest of this package.
 */
interface BunServer {
  port: number
  stop(closeActiveConnections?: boolean): void
}
declare const Bun: {
  version: string
  serve(options: {
    hostname: string
    port: number
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>
  }): BunServer
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? undefined : process.argv[i + 1]
}

// --module points at another build's dist/index.js (e.g. a candidate); default: the workspace mock.
const mod = (await import(flag('module') ?? '@laaffic-kit/mock-server')) as {
  createMockApp: (options: Record<string, unknown>) => {
    fetch: (request: Request, env?: unknown) => Response | Promise<Response>
  }
}
const now = flag('now')
const options: Record<string, unknown> = { logLevel: flag('log-level') ?? 'error' }
if (now !== undefined) options.now = Number(now)
const tasks = flag('tasks')
if (tasks !== undefined) options.tasks = Number(tasks)
const app = mod.createMockApp(options)
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch })
const shutdown = (): void => {
  server.stop(true)
  process.exit(0)
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
console.log(`mock on Bun ${Bun.version} listening on http://127.0.0.1:${server.port}`)
