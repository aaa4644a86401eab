import type { MockState } from '../app.js'
import { applyCommand } from './commands.js'
import type { SharedStore } from './store.js'

/** State in this process only: today's mock, each command applied as it is submitted. */
export function memoryStore(state: MockState): SharedStore {
  return {
    kind: 'memory',
    replica: undefined,
    available: true,
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    submit: (cmd) => Promise.resolve(applyCommand(state, cmd)),
    takeScenario: (req) => state.scenarios.take(req),
    scenarioRemaining: () => Promise.resolve(undefined),
    journal: (limit) =>
      Promise.resolve({
        total: state.journal.total,
        capacity: state.journal.capacity,
        requests: state.journal.list(limit),
      }),
  }
}
