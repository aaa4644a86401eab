import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// esbuild keeps a top-level call (Object.freeze, new Map, defineOperation) unless it is marked
// pure, and keeps an array spread as a possible side effect: either would put every table in
// the client's bundle (8 KB budget). This reads the sources rather than bundling, because
// esbuild is not a dependency of this package; the client's size check bundles for real.
const srcDir = fileURLToPath(new URL('../src', import.meta.url))
const sources = (readdirSync(srcDir, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => [f, readFileSync(join(srcDir, f), 'utf8')] as const)

describe('top-level tables are droppable by a bundler', () => {
  it('finds the sources', () => {
    expect(sources.map(([f]) => f)).toEqual(
      expect.arrayContaining(['index.ts', join('operations', 'seats.ts')]),
    )
  })
  it.each(sources)('%s: every top-level call or `new` is marked /* @__PURE__ */', (_file, text) => {
    const unmarked = text
      .split('\n')
      .filter((line) => /^(export )?const \w+(: [^=]+)? = (new |[\w.]+\()/.test(line))
    expect(unmarked).toEqual([])
  })
  it.each(sources)('%s: no spread in a top-level table', (_file, text) => {
    // The lines of each top-level `const` (from the declaration to the next unindented line).
    const spreads: string[] = []
    let inConst = false
    for (const line of text.split('\n')) {
      if (/^(export )?const /.test(line)) inConst = true
      else if (/^\S/.test(line)) inConst = false
      if (inConst && line.includes('...')) spreads.push(line)
    }
    expect(spreads).toEqual([])
  })
})
