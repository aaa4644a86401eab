import { STATUS } from '@laaffic-kit/protocol'
import type { MockState } from '../app.js'
import { fail, type Operation, type Outcome } from '../operations/operation.js'
import { OPERATION_MODULES } from '../operations/registry.js'
import { ScenarioError } from '../scenarios.js'
import { AccountLimitError } from '../state/accounts.js'
import type { SeatState } from '../state/world.js'

/**
 * Everything that changes a replica's state, as plain JSON: a vendor write (the validated request
 * and the clock it ran at) or an admin action. Handlers are deterministic in (world, request,
 * now, options), and anything random (a new account's credentials) is drawn before the command
 * is made, so replicas that apply the same commands in the same order hold the same state.
 */
export type Command =
  | { t: 'op'; apiKey: string; op: string; value: unknown; now: number }
  | { t: 'account.create'; apiKey: string; apiSecret: string; seed: number; tasks: number }
  | { t: 'account.delete'; apiKey: string }
  | { t: 'seat.status'; apiKey: string; keyId: number; status: SeatState }
  | { t: 'scenario.add'; body: unknown }
  | { t: 'scenario.clear' }
  | { t: 'clock.set'; update: { now?: number | null; shift?: number } }
  | { t: 'journal.clear' }
  | { t: 'reset' }

/** What applying a command gave, for the replica that submitted it to answer with. */
export type CommandResult =
  | { ok: true; value?: unknown }
  | { ok: false; httpStatus: 400 | 404 | 409; message: string }

const OPS = new Map<string, Operation<unknown>>(OPERATION_MODULES.map((op) => [op.def.id, op]))

/** Operations whose state changes go through the log: every one but the queries. */
export const isWrite = (op: Operation<unknown>): boolean => !op.def.id.startsWith('query')

/** Loads what an operation's handler needs (SheetJS for uploads) before a replica applies it. */
export async function prepareOperation(id: string): Promise<void> {
  await OPS.get(id)?.prepare?.()
}

/** Applies one command to a replica's state. `key` names its log entry (scenarios keep it). */
export function applyCommand(state: MockState, cmd: Command, key?: string): CommandResult {
  switch (cmd.t) {
    case 'op': {
      const op = OPS.get(cmd.op)
      const account = state.accounts.get(cmd.apiKey)
      let outcome: Outcome
      // The account was deleted by an earlier entry: as if the key were unknown.
      if (!op || !account) outcome = fail(STATUS.AUTHENTICATION, 'Api-Key')
      else {
        try {
          outcome = op.handle(cmd.value, {
            account,
            world: account.world,
            options: state.options,
            now: cmd.now,
          })
        } catch {
          // Deterministic too: every replica throws on the same entry.
          outcome = fail(STATUS.SYSTEM)
        }
      }
      return { ok: true, value: outcome }
    }
    case 'account.create':
      try {
        const account = state.accounts.create(cmd)
        return { ok: true, value: account }
      } catch (err) {
        if (err instanceof AccountLimitError) return { ok: false, httpStatus: 409, message: err.message }
        throw err
      }
    case 'account.delete': {
      const account = state.accounts.get(cmd.apiKey)
      if (!account) return { ok: false, httpStatus: 404, message: 'no account with that Api-Key' }
      if (!account.removable)
        return { ok: false, httpStatus: 409, message: 'the primary account (--api-key) cannot be deleted' }
      state.accounts.delete(cmd.apiKey)
      return { ok: true }
    }
    case 'seat.status': {
      const account = state.accounts.get(cmd.apiKey)
      if (!account) return { ok: false, httpStatus: 404, message: 'no account with that Api-Key' }
      const seat = account.world.seats.get(cmd.keyId)
      if (!seat)
        return { ok: false, httpStatus: 404, message: 'no live seat with that keyId in this account' }
      if (seat.enable === 1 && cmd.status !== 1) {
        return {
          ok: false,
          httpStatus: 409,
          message: 'a disabled seat is offline (1); enable it with seat/batchingSeat type 4 first',
        }
      }
      account.world.updateSeat(seat.keyId, { ...seat, status: cmd.status })
      return { ok: true, value: { keyId: seat.keyId, status: cmd.status } }
    }
    case 'scenario.add':
      try {
        return { ok: true, value: state.scenarios.add(cmd.body, key) }
      } catch (err) {
        if (err instanceof ScenarioError) return { ok: false, httpStatus: 400, message: err.message }
        throw err
      }
    case 'scenario.clear':
      state.scenarios.clear()
      return { ok: true }
    case 'clock.set':
      state.clock.set(cmd.update)
      return { ok: true, value: state.clock.state() }
    case 'journal.clear':
      state.journal.clear()
      return { ok: true }
    case 'reset':
      state.scenarios.clear()
      state.journal.clear()
      state.clock.reset()
      state.accounts.resetPrimary()
      state.world = state.accounts.primary.world
      return { ok: true, value: state.clock.state() }
  }
}

/** A replica's state as the mock started: what a store that lost its data replays its log onto. */
export function resetToStart(state: MockState): void {
  state.accounts.resetAll()
  state.world = state.accounts.primary.world
  state.scenarios.reset()
  state.clock.reset()
}
