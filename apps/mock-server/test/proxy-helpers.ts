import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { computeSign, SIGNING_TEST_VECTOR } from '@laaffic-kit/protocol'
import { type SpawnedServer, spawnUntilUrl } from '@laaffic-kit/test-utils'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const cli = join(root, 'dist', 'cli.js')

/** The upstream's own account: what the proxy re-signs with. */
export const UP_KEY = 'OTHERKEY'
export const UP_SECRET = 'othersecret'
/** What callers of the proxy sign with (the mock's defaults). */
export const KEY: string = SIGNING_TEST_VECTOR.apiKey
export const SECRET: string = SIGNING_TEST_VECTOR.apiSecret

/** dist/ is built by turbo before tests; a bare `vitest run` builds it once here. */
export function ensureBuilt(): void {
  if (existsSync(join(root, 'dist', 'proxy', 'cli.js'))) return
  const build = spawnSync('pnpm', ['build'], { cwd: root, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`)
}

/**
 * The mock playing the upstream, with other credentials. One retry: cli.test.ts rebuilds dist/
 * in its beforeAll, possibly while this spawns it.
 */
export async function spawnUpstream(extra: string[] = []): Promise<SpawnedServer> {
  const args = [
    cli,
    '--api-key',
    UP_KEY,
    '--api-secret',
    UP_SECRET,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '-q',
    ...extra,
  ]
  const start = () => spawnUntilUrl(process.execPath, args, { name: 'upstream mock', timeoutMs: 20_000 })
  try {
    return await start()
  } catch {
    return await start()
  }
}

/** Headers a caller of the proxy sends, signed now with the given account. */
export function callerHeaders(key = KEY, secret = SECRET, ts = Math.floor(Date.now() / 1000)) {
  const sign = computeSign(key, secret, ts)
  return {
    sign,
    headers: { 'Content-Type': 'application/json', 'Api-Key': key, Timestamp: String(ts), Sign: sign },
  }
}
