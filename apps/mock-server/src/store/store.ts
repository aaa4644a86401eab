import type { Directive } from '../faults.js'
import type { JournalEntry } from '../journal.js'
import type { ScenarioRequest } from '../scenarios.js'
import type { Command, CommandResult } from './commands.js'

/** A journal entry as `/__admin/requests` lists it; with a shared store it names its replica. */
export type ListedEntry = JournalEntry & { replica?: string }

/**
 * Where a mock's changing state goes: this process only (`memory`), or a Redis every replica
 * shares (`redis`). Generated worlds stay in each process either way (same seed, same data);
 * what changes goes through {@link submit} as commands applied in one order everywhere.
 */
export interface SharedStore {
  readonly kind: 'memory' | 'redis'
  /** This replica's name (journal `replica`, `X-Request-Id` prefix); undefined in memory. */
  readonly replica: string | undefined
  /** False while a shared store cannot be reached (vendor requests answer -18, admin 503). */
  readonly available: boolean
  /** Connects and catches up with the shared state (memory: nothing to do). */
  start(): Promise<void>
  close(): Promise<void>
  /** Applies a command everywhere; resolves with what applying it here gave. */
  submit(cmd: Command): Promise<CommandResult>
  /** The directive of the first matching scenario, used up once across every replica. */
  takeScenario(req: ScenarioRequest): Directive | undefined | Promise<Directive | undefined>
  /** Remaining uses by scenario key when they live in the store (memory: undefined, the queue knows). */
  scenarioRemaining(): Promise<ReadonlyMap<string, number> | undefined>
  /** The journal of every replica, oldest first (`limit` keeps the newest). */
  journal(limit?: number): Promise<{ total: number; capacity: number; requests: ListedEntry[] }>
}

/** The shared store cannot be reached, or did not answer in time. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable'
}

/** This replica's options differ from those the store's other replicas run with (a startup error). */
export class StoreMismatch extends Error {
  override name = 'StoreMismatch'
}
