import { createSignVerifier } from '@laaffic-kit/protocol'
import { generateDataset } from '../dataset.js'
import { generateWorld } from './generate-world.js'
import type { World } from './world.js'
import type { WorldFixture } from './world-fixtures.js'

export interface Account {
  apiKey: string
  apiSecret: string
  /** The account's Sign check (remembers the last few Timestamps). */
  verify: (received: string, timestamp: string | number) => boolean
  world: World
  seed: number
  /** False for the account the mock starts with (it cannot be deleted). */
  removable: boolean
}

export class AccountLimitError extends Error {
  override name = 'AccountLimitError'
}

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const b of bytes) out += KEY_CHARS[b % KEY_CHARS.length]
  return out
}

/**
 * Every account the mock answers for, by Api-Key: the one from the options and those made
 * through POST /__admin/accounts, each with a world of its own, so parallel CI jobs sharing
 * one mock never see each other's data.
 */
export class AccountRegistry {
  readonly #accounts = new Map<string, Account>()
  /**
   * Secrets of deleted accounts, still redacted from what the journal kept of their requests.
   * Bounded: past the cap the oldest go (and so do journal entries that old, long since).
   */
  readonly #retired: string[] = []
  readonly primary: Account
  /** The `--data` file's groups and seats, which a reset restores. */
  readonly #primaryFixture: WorldFixture | undefined

  constructor(
    primary: {
      apiKey: string
      apiSecret: string
      seed: number
      world: World
      fixture?: WorldFixture | undefined
    },
    private readonly limits: { maxAccounts: number; seats: number },
  ) {
    this.primary = {
      ...primary,
      verify: createSignVerifier(primary.apiKey, primary.apiSecret),
      removable: false,
    }
    this.#primaryFixture = primary.fixture
    this.#accounts.set(primary.apiKey, this.primary)
  }

  get(apiKey: string): Account | undefined {
    return this.#accounts.get(apiKey)
  }

  get size(): number {
    return this.#accounts.size
  }

  list(): Account[] {
    return [...this.#accounts.values()]
  }

  /**
   * An unused Api-Key and a secret for a new account. Apart from {@link create} so that a replica
   * can draw them once and log them: every replica then creates the same account.
   */
  newCredentials(): { apiKey: string; apiSecret: string } {
    let apiKey = randomToken(8)
    while (this.#accounts.has(apiKey)) apiKey = randomToken(8)
    return { apiKey, apiSecret: randomToken(16) }
  }

  /** A fresh account with its own generated world (credentials drawn here unless given). */
  create(input: { seed: number; tasks: number; apiKey?: string; apiSecret?: string }): Account {
    if (this.#accounts.size - 1 >= this.limits.maxAccounts) {
      throw new AccountLimitError(
        `at most ${this.limits.maxAccounts} admin-created accounts may exist at once`,
      )
    }
    const drawn =
      input.apiKey === undefined || input.apiSecret === undefined ? this.newCredentials() : undefined
    const apiKey = input.apiKey ?? (drawn as { apiKey: string }).apiKey
    const apiSecret = input.apiSecret ?? (drawn as { apiSecret: string }).apiSecret
    if (this.#accounts.has(apiKey)) throw new AccountLimitError('an account with that Api-Key exists')
    const tasks = generateDataset({ tasks: input.tasks, seed: input.seed })
    const account: Account = {
      apiKey,
      apiSecret,
      verify: createSignVerifier(apiKey, apiSecret),
      world: generateWorld({ seed: input.seed, tasks, seats: this.limits.seats }),
      seed: input.seed,
      removable: true,
    }
    this.#accounts.set(apiKey, account)
    this.#secrets = undefined
    return account
  }

  /** Removes an admin-created account; false when there is none by that key (or it is the primary). */
  delete(apiKey: string): boolean {
    const account = this.#accounts.get(apiKey)
    if (!account?.removable) return false
    this.#accounts.delete(apiKey)
    this.#retired.push(account.apiSecret)
    if (this.#retired.length > 10_000) this.#retired.shift()
    this.#secrets = undefined
    return true
  }

  /** The primary account's world as its seed generated it (POST /__admin/reset). */
  resetPrimary(): void {
    const { world } = this.primary
    this.primary.world = generateWorld({
      seed: this.primary.seed,
      tasks: world.tasks,
      seats: this.limits.seats,
      fixture: this.#primaryFixture,
    })
  }

  /**
   * Back to the state the mock started in: admin-created accounts gone (their secrets still
   * redacted) and the primary world regenerated. A shared store that lost its data replays its
   * log onto this, so every replica ends up in the same state.
   */
  resetAll(): void {
    for (const account of this.list()) if (account.removable) this.delete(account.apiKey)
    this.resetPrimary()
  }

  /** Every secret to redact: live accounts' and retired ones' (cached; rebuilt when accounts change). */
  secrets(): readonly string[] {
    this.#secrets ??= [...[...this.#accounts.values()].map((a) => a.apiSecret), ...this.#retired]
    return this.#secrets
  }

  #secrets: readonly string[] | undefined
}
