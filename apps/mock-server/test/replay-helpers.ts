import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './proxy-helpers.js'

/**
 * The CLI tests run dist/cli.js: turbo builds it before tests, but a dist/ from before replay and
 * import (a bare `vitest run`) would fail them for the wrong reason, so build once here.
 */
export function ensureImportBuilt(): void {
  if (existsSync(join(root, 'dist', 'import', 'cli.js'))) return
  const build = spawnSync('pnpm', ['build'], { cwd: root, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`)
}
