/**
 * 5. Client bundle size: packages/client/dist/index.js bundled for the browser with esbuild
 * (minified ESM, everything inlined: openapi-fetch, @noble/hashes md5, protocol), then gzip -9.
 */
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { build } from 'esbuild'
import { CLIENT_ENTRY, REPO_ROOT } from './paths.js'
import type { Section, Target } from './report.js'
import { gzipSize } from './size.js'
import { fmt, fmtBytes, markdownTable } from './table.js'

export const BUNDLE_LIMIT_BYTES = 8 * 1024

export interface BundleMeasure {
  minified: number
  gzip: number
  inputs: { path: string; bytes: number }[]
}

export async function measureBundle(entry: string = CLIENT_ENTRY): Promise<BundleMeasure> {
  // The client may be mid-rebuild (tsc empties nothing, but a clean build does): wait a little.
  for (let i = 0; i < 30 && !existsSync(entry); i++) await sleep(1000)
  if (!existsSync(entry)) throw new Error(`${entry} not found: build the client first (pnpm build)`)
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outfile: 'client.bundle.js',
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  })
  const out = result.outputFiles.find((f) => f.path.endsWith('.js'))!
  const meta = Object.values(result.metafile.outputs)[0]!
  const inputs = Object.entries(meta.inputs)
    .map(([path, v]) => ({
      path: path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ''),
      bytes: v.bytesInOutput,
    }))
    .sort((a, b) => b.bytes - a.bytes)
  return { minified: out.contents.length, gzip: gzipSize(out.contents), inputs }
}

export async function bundleSize(): Promise<Section> {
  const m = await measureBundle()
  const ok = m.gzip <= BUNDLE_LIMIT_BYTES
  const targets: Target[] = [
    {
      benchmark: 'bundle-size',
      target: 'client browser bundle ≤ 8 KB gzipped (8,192 B)',
      measured: `${fmt(m.gzip)} B gzip (${fmt(m.minified)} B minified)`,
      ok,
      ...(ok ? {} : { missedBy: `${fmt(m.gzip - BUNDLE_LIMIT_BYTES)} B over` }),
    },
  ]
  const byPackage = new Map<string, number>()
  for (const i of m.inputs) {
    const pkg = sourcePackage(i.path)
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + i.bytes)
  }
  const body = [
    `Entry \`${relative(REPO_ROOT, CLIENT_ENTRY)}\`, esbuild ${'`bundle, minify, format=esm, platform=browser, target=es2022`'}, then gzip level 9.`,
    '',
    markdownTable(
      ['measure', 'bytes', 'size'],
      [
        ['minified', m.minified, fmtBytes(m.minified)],
        ['minified + gzip', m.gzip, fmtBytes(m.gzip)],
        ['limit (gzip)', BUNDLE_LIMIT_BYTES, fmtBytes(BUNDLE_LIMIT_BYTES)],
      ],
    ),
    '',
    'Minified bytes by source (before gzip):',
    '',
    markdownTable(
      ['source', 'bytes'],
      [...byPackage.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v]),
    ),
  ].join('\n')
  return {
    id: 'bundle-size',
    title: '5. Client bundle size',
    body,
    targets,
    command: 'pnpm bench -- bundle-size',
  }
}

/** "@noble/hashes/legacy.js" → "@noble/hashes"; "../protocol/dist/x.js" → "@laaffic-kit/protocol". */
export function sourcePackage(path: string): string {
  const ws = /(?:^|\/)(?:packages|apps)\/([^/]+)\//.exec(path) ?? /^\.\.\/([^/]+)\//.exec(path)
  if (ws) return `@laaffic-kit/${ws[1]}`
  if (path.startsWith('@')) return path.split('/').slice(0, 2).join('/')
  return path.split('/')[0]!
}
