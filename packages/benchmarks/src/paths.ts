import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url)) // packages/benchmarks/dist (or src under vitest)
export const PACKAGE_DIR = resolve(here, '..')
export const REPO_ROOT = resolve(PACKAGE_DIR, '..', '..')
export const SPEC_PATH = join(REPO_ROOT, 'spec', 'openapi.yaml')
export const MOCK_DIR = join(REPO_ROOT, 'apps', 'mock-server')
/** The mock's CLI; BENCH_MOCK_CLI points the benchmarks at another build (e.g. a candidate fix). */
export const MOCK_CLI = process.env.BENCH_MOCK_CLI
  ? resolve(process.env.BENCH_MOCK_CLI)
  : join(MOCK_DIR, 'dist', 'cli.js')
export const CLIENT_ENTRY = join(REPO_ROOT, 'packages', 'client', 'dist', 'index.js')
export const BENCHMARKS_MD = join(REPO_ROOT, 'BENCHMARKS.md')
export const DIST_DIR = join(PACKAGE_DIR, 'dist')

const require = createRequire(import.meta.url)

/** Prism's CLI entry, resolved from this package's node_modules. */
export function prismCli(): string {
  const pkg = require.resolve('@stoplight/prism-cli/package.json')
  const cli = join(dirname(pkg), 'dist', 'index.js')
  if (!existsSync(cli)) throw new Error(`Prism CLI not found at ${cli}`)
  return cli
}

/** A compiled script of this package (dist/<name>.js). */
export function distScript(name: string): string {
  return join(DIST_DIR, `${name}.js`)
}

/**
 * The `bun` binary of the npm package (a devDependency; its postinstall links the platform
 * build), or undefined when it is missing or does not run here.
 */
export function bunBinary(): string | undefined {
  try {
    const bin = join(dirname(require.resolve('bun/package.json')), 'bin', 'bun.exe')
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 })
    return probe.status === 0 ? bin : undefined
  } catch {
    return undefined
  }
}
