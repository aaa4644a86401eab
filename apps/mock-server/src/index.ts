export {
  type CreateMockAppOptions,
  createMockApp,
  type MockEnv,
  type MockState,
  mockState,
  type QueryResponse,
} from './app.js'
export { helpText, parseCliArgs } from './cli-args.js'
export {
  type GenerateOptions,
  generateDataset,
  SEAT_GROUPS,
  storeFromRecords,
  type TaskRecord,
  type TaskStore,
  VENDOR_EXAMPLE_TASK,
  VOICE_APPS,
} from './dataset.js'
export { FAULT_HEADER, type Fault, MockConnectionReset, STATUS_HEADER } from './faults.js'
export { loadFixtureFile, storeFromFixtures } from './fixtures.js'
export { createLogger, type Logger, silentLogger } from './log.js'
export { readNumberFile, writeNumberFile } from './number-files/index.js'
export type { Operation, OperationContext, Outcome } from './operations/operation.js'
export { OPERATION_MODULES } from './operations/registry.js'
export {
  DEFAULT_OPTIONS,
  type MockOptions,
  type MockOptionsInput,
  maskSecret,
  OPTION_DEFS,
  OptionError,
  resolveOptions,
} from './options.js'
export { pageCount } from './paging.js'
export { type RunningMock, serveMock } from './serve.js'
export { type Account, AccountRegistry } from './state/accounts.js'
export { generateWorld } from './state/generate-world.js'
export type { Seat, SeatGroup, SeatState, VoiceApp, World } from './state/world.js'
export { scanFilter, type TaskFilter, TaskIndex } from './task-index.js'
