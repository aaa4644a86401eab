import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sourcePackage } from '../src/bundle-size.js'
import { type CpuProfile, inclusiveShare, packageOf, summarizeCpuProfile } from '../src/profile.js'
import { extractTargets, mergeSections, renderSection, type Section, sectionOrder } from '../src/report.js'
import { gzipSize } from '../src/size.js'

describe('gzipSize', () => {
  it('is the length of a valid gzip stream, far below the input for repetitive text', () => {
    const text = 'laaffic '.repeat(1000)
    const size = gzipSize(text)
    expect(size).toBeGreaterThan(18) // gzip header + trailer alone
    expect(size).toBeLessThan(200)
    expect(gzipSize(Buffer.from(text))).toBe(size)
  })
  it('measures the same bytes that gunzip back to the input', () => {
    const text = '{"status":0,"reason":"success"}'
    expect(gzipSize('')).toBe(20) // header (10) + empty deflate block (2) + CRC32 and length (8)
    expect(gzipSize(text)).toBe(gzipSync(text, { level: 9 }).length)
    expect(gunzipSync(gzipSync(text, { level: 9 })).toString()).toBe(text)
  })
})

describe('sourcePackage', () => {
  it('names the package a bundled file came from', () => {
    expect(sourcePackage('@noble/hashes/legacy.js')).toBe('@noble/hashes')
    expect(sourcePackage('openapi-fetch/dist/index.js')).toBe('openapi-fetch')
    expect(sourcePackage('../protocol/dist/signing.js')).toBe('@laaffic-kit/protocol')
    expect(sourcePackage('../client/dist/client.js')).toBe('@laaffic-kit/client')
  })
})

describe('report sections', () => {
  const section = (id: string, ok: boolean): Section => ({
    id,
    title: id,
    body: `body of ${id}`,
    command: `pnpm bench -- ${id}`,
    targets: [{ benchmark: id, target: 't', measured: 'm', ok }],
  })
  it('replaces fresh sections, keeps the others, in the given order', () => {
    const when = new Date('2026-01-01T00:00:00Z')
    const old = [renderSection(section('a', true), when), renderSection(section('b', true), when)].join(
      '\n\n',
    )
    const freshB = renderSection({ ...section('b', false), body: 'new b' }, when)
    const merged = mergeSections(old, new Map([['b', freshB]]), ['a', 'b', 'c'])
    expect(merged).toHaveLength(2)
    expect(merged[0]).toContain('body of a')
    expect(merged[1]).toContain('new b')
    expect(merged.flatMap(extractTargets).map((t) => t.ok)).toEqual([true, false])
  })
  it('keeps sections this build does not know, before the hand-written ones', () => {
    const when = new Date('2026-01-01T00:00:00Z')
    const old = ['a', 'other', 'analysis'].map((id) => renderSection(section(id, true), when)).join('\n\n')
    const order = sectionOrder(old, ['a', 'b'], ['analysis'])
    expect(order).toEqual(['a', 'b', 'other', 'analysis'])
    const freshA = renderSection({ ...section('a', false), body: 'new a' }, when)
    const merged = mergeSections(old, new Map([['a', freshA]]), order)
    expect(merged.map((m) => /bench:([\w-]+):start/.exec(m)?.[1])).toEqual(['a', 'other', 'analysis'])
    expect(merged[0]).toContain('new a')
  })
})

describe('summarizeCpuProfile', () => {
  it('ranks functions by self time, merging nodes of the same function', () => {
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 10_000, // 10 ms in µs
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, hitCount: 0 },
        {
          id: 2,
          callFrame: { functionName: 'hot', url: 'file:///work/main/apps/x.js', lineNumber: 9 },
          hitCount: 6,
        },
        {
          id: 3,
          callFrame: { functionName: 'hot', url: 'file:///work/main/apps/x.js', lineNumber: 9 },
          hitCount: 2,
        },
        { id: 4, callFrame: { functionName: '', url: 'node:internal/y', lineNumber: 0 }, hitCount: 2 },
      ],
    }
    const top = summarizeCpuProfile(profile, 5)
    expect(top.map((f) => f.name)).toEqual(['hot', '(anonymous)'])
    expect(top[0]).toMatchObject({ location: 'apps/x.js:10', selfPct: 80 })
    expect(top[0]!.selfMs).toBeCloseTo(8)
  })
})

describe('inclusiveShare and packageOf', () => {
  it('counts a sample once for every named frame on its stack', () => {
    const frame = (functionName: string) => ({ functionName, url: '', lineNumber: 0 })
    const profile: CpuProfile = {
      startTime: 0,
      endTime: 1000,
      nodes: [
        { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [2, 5] },
        { id: 2, callFrame: frame('outer'), hitCount: 1, children: [3] },
        { id: 3, callFrame: frame('inner'), hitCount: 2, children: [4] },
        { id: 4, callFrame: frame('outer'), hitCount: 3 }, // recursion: counted once
        { id: 5, callFrame: frame('idle'), hitCount: 4 },
      ],
    }
    const share = inclusiveShare(profile, ['outer', 'inner', 'missing'])
    expect(share.get('outer')).toBe(60)
    expect(share.get('inner')).toBe(50)
    expect(share.get('missing')).toBe(0)
  })
  it('names packages from profile URLs', () => {
    expect(packageOf('file:///r/node_modules/.pnpm/h@1/node_modules/@hono/node-server/dist/index.mjs')).toBe(
      '@hono/node-server',
    )
    expect(packageOf('file:///r/node_modules/.pnpm/hono@4/node_modules/hono/dist/context.js')).toBe('hono')
    expect(packageOf('file:///work/main/apps/mock-server/dist/app.js')).toBe('@laaffic-kit/mock-server')
    expect(packageOf('node:internal/streams/readable')).toBe('node: internals')
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)')
    expect(packageOf('', 'writev')).toBe('(native)')
  })
})
