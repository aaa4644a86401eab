import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sourcePackage } from '../src/bundle-size.js'
import { type CpuProfile, summarizeCpuProfile } from '../src/profile.js'
import { extractTargets, mergeSections, renderSection, type Section } from '../src/report.js'
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
