/** The preview/upload number-file reader and writer (see read-number-file.ts for the rules). */
export { decodedLength } from './base64.js'
export { normalizeDigits } from './cells.js'
export { readNumberFile } from './read-number-file.js'
export { loadSheetJs } from './sheetjs.js'
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_INFLATED_BYTES,
  DEFAULT_MAX_ROWS,
  DEFAULT_MAX_ZIP_ENTRIES,
  DEFAULT_NUMBER_FILE_LIMITS,
  DEFAULT_NUMBER_FILE_RULES,
  type NumberFileError,
  type NumberFileLimits,
  type NumberFileOk,
  type NumberFileResult,
  type NumberFileRules,
  type NumberFileStatus,
} from './types.js'
export { type WriteNumberFileOptions, writeNumberFile, XLS_MAX_ROWS } from './write-number-file.js'
