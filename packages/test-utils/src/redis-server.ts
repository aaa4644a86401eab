import { accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { type SpawnedServer, spawnUntilUrl } from './spawn-until-url.js'

/** The `redis-server` on PATH (Debian's `redis-server` package), or undefined when there is none. */
export function redisServerPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {}
  }
  return undefined
}

/** A TCP port free on 127.0.0.1 right now (redis-server cannot take port 0: it means "no TCP"). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string
  port: number
  process: SpawnedServer
  /** SIGTERM (SIGKILL after a grace period); resolves once the server has exited. */
  stop(): Promise<void>
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 (a free port, or `port` to restart one on the
 * same address): no persistence (`--save ''`, `--appendonly no`), so a restart comes back empty.
 * Resolves once it accepts connections; stop() leaves no process behind (the spawn helper also
 * kills it if the test process exits first).
 */
export async function startRedisServer(
  options: { port?: number; timeoutMs?: number } = {},
): Promise<RedisServer> {
  const binary = redisServerPath()
  if (binary === undefined)
    throw new Error('redis-server is not on PATH (Debian: apt-get install redis-server)')
  const port = options.port ?? (await freePort())
  const url = `redis://127.0.0.1:${port}`
  const child = await spawnUntilUrl(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    {
      match: (line) => (/Ready to accept connections/.test(line) ? url : undefined),
      timeoutMs: options.timeoutMs ?? 10_000,
      graceMs: 2000,
      name: `redis-server :${port}`,
    },
  )
  return {
    url,
    port,
    process: child,
    stop: async () => {
      await child.stop()
    },
  }
}
