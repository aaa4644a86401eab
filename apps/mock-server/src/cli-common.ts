import { readFileSync } from 'node:fs'

/** The package version, for `--version`. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

/** One line on stderr and exit 2: what a shell user or a parent process can act on. */
export function usageError(message: string): never {
  process.stderr.write(`laaffic-mock: ${message.replace(/\s+/g, ' ')}\n`)
  process.exit(2)
}
