import { describe, expect, it } from 'vitest'
import { fmt, fmtBytes, fmtMs, fmtRatio, markdownTable, verdict } from '../src/table.js'

describe('markdownTable', () => {
  it('pads columns, right-aligns numeric ones and escapes pipes', () => {
    const t = markdownTable(
      ['name', 'req/s'],
      [
        ['a|b', 12345],
        ['longer name', 7.5],
      ],
    )
    expect(t).toBe(
      [
        '| name        |  req/s |',
        '|-------------|-------:|',
        '| a\\|b        | 12,345 |',
        '| longer name |   7.50 |',
      ].join('\n'),
    )
  })
  it('renders an empty table as a header and a rule', () => {
    expect(markdownTable(['x'], [])).toBe('| x   |\n|-----|')
  })
})

describe('number formatting', () => {
  it('fmt', () => {
    expect(fmt(1234567)).toBe('1,234,567')
    expect(fmt(12345.6)).toBe('12,346')
    expect(fmt(123.45)).toBe('123.5')
    expect(fmt(1.234)).toBe('1.23')
    expect(fmt(0.01234)).toBe('0.012')
    expect(fmt(42)).toBe('42')
    expect(fmt(Number.NaN)).toBe('n/a')
    expect(fmt(1.5, 3)).toBe('1.500')
  })
  it('fmtBytes, fmtMs, fmtRatio, verdict', () => {
    expect(fmtBytes(512)).toBe('512 B')
    expect(fmtBytes(8278)).toBe('8.08 KiB')
    expect(fmtBytes(300 * 1024 * 1024)).toBe('300.0 MiB')
    expect(fmtMs(0.25)).toBe('250.0 µs')
    expect(fmtMs(12.345)).toBe('12.35 ms')
    expect(fmtMs(1234)).toBe('1234 ms')
    expect(fmtRatio(10.456)).toBe('10.46×')
    expect(fmtRatio(Number.NaN)).toBe('n/a')
    expect(verdict(true)).toBe('met')
    expect(verdict(false, '86 B over')).toBe('**MISSED** (86 B over)')
  })
})
