/**
 * SheetJS (`@e965/xlsx`: the SheetJS Community Edition 0.20.3 build, republished on the npm
 * registry with the fixes for CVE-2023-30533 and CVE-2024-22363 that the registry's own `xlsx`
 * 0.18.5 lacks), loaded on first use: ~1 MB of JavaScript that only an upload needs.
 *
 * Always its ES module build (`xlsx.mjs`), never the CommonJS one: `require('@e965/xlsx')` also
 * builds the codepage tables (`dist/cpexcel.js`), +17 MiB RSS that stays for the life of the
 * process (measured after gc(): 68.3 MiB vs 51.3 MiB for the module alone). Those tables only
 * decode text cells of BIFF5 and older `.xls` (Excel 95) in a non-Latin codepage; BIFF8 (Excel
 * 97 onwards, the vendor's template) and `.xlsx` store text as Unicode, and a phone number is
 * digits in any codepage. test/number-files.test.ts reads a BIFF5 file with this build.
 */
type SheetJs = typeof import('@e965/xlsx')

let sheetjs: SheetJs | undefined
let loading: Promise<SheetJs> | undefined

const asSheetJs = (m: unknown): SheetJs => ((m as { default?: SheetJs }).default ?? m) as SheetJs

/** Loads SheetJS ahead of a synchronous read (idempotent). */
export function loadSheetJs(): Promise<SheetJs> {
  if (sheetjs) return Promise.resolve(sheetjs)
  loading ??= import('@e965/xlsx').then((m) => {
    sheetjs ??= asSheetJs(m)
    return sheetjs
  })
  return loading
}

/**
 * SheetJS, synchronously: loaded by loadSheetJs when the pipeline got there first; otherwise
 * the same ES module build through `require` (Node >= 20.19 and Bun load an ES module so),
 * reached without a static `node:` import as the spec validator is. `import.meta.resolve`
 * picks the package's `import` entry, which `require` alone would not.
 */
export function sheetJs(): SheetJs {
  if (sheetjs) return sheetjs
  const mod = globalThis.process?.getBuiltinModule?.('node:module')
  const url = globalThis.process?.getBuiltinModule?.('node:url')
  if (!mod || !url) throw new Error('await loadSheetJs() before reading number files on this runtime')
  const entry = url.fileURLToPath(import.meta.resolve('@e965/xlsx'))
  sheetjs = asSheetJs(mod.createRequire(import.meta.url)(entry))
  return sheetjs
}
