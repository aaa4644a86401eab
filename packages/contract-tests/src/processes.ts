import type { ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { spawnUntilUrl } from '@laaffic-kit/test-utils'

const require = createRequire(import.meta.url)

export interface RunningProcess {
  /** Base URL the process announced, e.g. http://127.0.0.1:40123 */
  url: string
  child: ChildProcess
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code. */
  stop(): Promise<number | null>
}

interface StartOptions {
  /** Resolves the announced URL from one line of stdout, or undefined when the line is not it. */
  readUrl: (line: string) => string | undefined
  timeoutMs: number
  name: string
  env?: NodeJS.ProcessEnv
}

/**
 * Starts a Node program and waits until it prints its URL (spawnUntilUrl from
 * @laaffic-kit/test-utils). The program is run by `node` directly (not through npx or a shell),
 * so the pid we hold is the server itself and a signal reaches it: no orphan survives the test
 * run. On a timeout or an early exit the process is stopped and the error carries its output.
 */
export async function startNodeProcess(
  script: string,
  args: string[],
  options: StartOptions,
): Promise<RunningProcess> {
  const server = await spawnUntilUrl(process.execPath, [script, ...args], {
    env: { NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
    name: options.name,
    timeoutMs: options.timeoutMs,
    match: options.readUrl,
    graceMs: 3000,
  })
  return {
    url: server.url,
    child: server.child,
    output: server.output,
    stop: async () => (await server.stop()).code,
  }
}

const URL_IN_LINE = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+/

/** Path of the mock's CLI entry point (built by turbo before the tests run). */
export function mockCliPath(): string {
  return join(dirname(require.resolve('@laaffic-kit/mock-server/package.json')), 'dist', 'cli.js')
}

/** Starts `laaffic-mock` on a free port of 127.0.0.1. */
export function startMockProcess(args: string[] = []): Promise<RunningProcess> {
  return startNodeProcess(mockCliPath(), ['--host', '127.0.0.1', '--port', '0', ...args], {
    name: 'laaffic-mock',
    timeoutMs: 15_000,
    readUrl: (line) => line.match(URL_IN_LINE)?.[0],
  })
}

/**
 * Starts `prism proxy <spec> <upstream> --errors` on a free port. With `--errors` Prism
 * answers 422 for a request the spec rejects and 500 with an `sl-violations` header for a
 * response the spec rejects, so every exchange is checked by a third-party validator.
 */
export function startPrismProxy(specPath: string, upstream: string): Promise<RunningProcess> {
  const cli = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js')
  return startNodeProcess(
    cli,
    ['proxy', specPath, upstream, '--errors', '--host', '127.0.0.1', '--port', '0'],
    {
      name: 'prism proxy',
      timeoutMs: 30_000,
      readUrl: (line) => (line.includes('Prism is listening on') ? line.match(URL_IN_LINE)?.[0] : undefined),
    },
  )
}
