import {
  CANCEL_PREVIEW_TASK,
  EDIT_PREVIEW_TASK,
  QUERY_PREVIEW_TASKS,
  RESEND_PREVIEW_TASK,
  SUBMIT_PREVIEW_TASK,
} from '@laaffic-kit/protocol'
import type { LaafficCore } from '../engine.js'
import { TaskNotFoundError } from '../errors.js'
import { TaskIterator } from '../paging.js'
import { sleepFor } from '../retry.js'
import type {
  CancelPreviewTaskRequest,
  EditPreviewTaskRequest,
  EmptyData,
  NewTaskId,
  PreviewTaskId,
  QueryRequest,
  RequestOptions,
  ResendPreviewTaskRequest,
  SubmitPreviewTaskRequest,
  TaskPage,
  TaskQuery,
  TaskRecord,
  TaskStatus,
  WaitForTaskOptions,
} from '../types.js'

// Shared, not rebuilt per call: the core only reads them.
const PAGE = { data: 'page' } as const
const WRITE = { write: true } as const
/** completed, submit failed, cancelled: the statuses a task does not leave. */
const TERMINAL: readonly TaskStatus[] = [12, 13, 14]
// Below this a "poll" is a busy loop against the vendor's API.
const MIN_POLL_MS = 50

/**
 * Agent tasks (preview / group call transferred to agent): `/v3/cc/preview/…`. The lifecycle is
 * `previewFiles.upload` → `submit` → `waitFor` → `resend` or `cancel`. Writes retry only what
 * proves them unprocessed (see `retryWrites`): a repeated submit would create the task twice.
 */
export class PreviewTasks {
  readonly #core: LaafficCore

  constructor(core: LaafficCore) {
    this.#core = core
  }

  /** One page of tasks (`queryPreviewTasks`). Resolves with `data` when `status` is 0. */
  query(body: QueryRequest, options?: RequestOptions): Promise<TaskPage> {
    return this.#core.request(QUERY_PREVIEW_TASKS, body, options, PAGE)
  }

  /** Every page of a query, lazily, one request per page (`current` default 1, `size` default 100). */
  iterate(query: TaskQuery, options?: RequestOptions): TaskIterator {
    return new TaskIterator((body, o) => this.query(body, o), query, options)
  }

  /**
   * Creates a task from an uploaded number file (`submitPreviewTask`): `filePath` and `fileName`
   * from `previewFiles.upload`, `type` 0 (automatic call) or 1 (group call to agent: then one
   * `voiceGroupId`, its `appId` and a `calloutRate`). Resolves with the new task's id, or null
   * from a server that answers as the vendor's older pages do. Refusals: -43 repeated header
   * columns, -74 the group belongs to another application, -77 no minimum rate configured.
   */
  submit(body: SubmitPreviewTaskRequest, options?: RequestOptions): Promise<NewTaskId> {
    return this.#core.request(SUBMIT_PREVIEW_TASK, body, options, WRITE)
  }

  /**
   * Changes a group-call-to-agent task's `calloutRate` and `remark` (`editPreviewTask`).
   * Refusals: -36 calloutRate above what may be set, -41 the task's state forbids it.
   */
  edit(body: EditPreviewTaskRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(EDIT_PREVIEW_TASK, body, options, WRITE)
  }

  /** Cancels a group-call-to-agent task (`cancelPreviewTask`); -41 when its state forbids it. */
  cancel(body: CancelPreviewTaskRequest, options?: RequestOptions): Promise<EmptyData> {
    return this.#core.request(CANCEL_PREVIEW_TASK, body, options, WRITE)
  }

  /**
   * Calls a task's numbers again as a new task (`resendPreviewTask`): `resendType` 1 the failed
   * numbers, 2 those not yet called, 3 all; the settings follow `submit`'s rules. Resolves with
   * the new task's id (or null). Refusals: -41 the task's state forbids it, -42 no numbers to
   * call, -74 and -77 as for `submit`.
   */
  resend(body: ResendPreviewTaskRequest, options?: RequestOptions): Promise<NewTaskId> {
    return this.#core.request(RESEND_PREVIEW_TASK, body, options, WRITE)
  }

  /**
   * Polls `query` with `params.taskId` every `pollMs` (default 2000, at least 50) until the
   * task's `taskStatus` is `until` (one status or a list; default the terminal ones: 12
   * completed, 13 submit failed, 14 cancelled) and resolves with the task's record.
   *
   * Rejects with a {@link TaskNotFoundError} when a poll does not find the task, the first one
   * included: the vendor lists a task as soon as it is submitted (status 16, submitting), so a
   * missing id is a wrong id, not a task still on its way. Rejects with the signal's reason as
   * soon as `signal` aborts, during a poll or the wait between polls (no timer is left behind),
   * and with whatever a poll throws (each poll retries as `query` does). A `TypeError`, before
   * any request, for a taskId that is not a positive integer or digit string, a bad `pollMs`, or
   * an empty or unknown `until`.
   */
  async waitFor(taskId: PreviewTaskId, options: WaitForTaskOptions = {}): Promise<TaskRecord> {
    const { until = TERMINAL, signal, pollMs = 2000 } = options
    const id = String(taskId)
    const wanted: readonly unknown[] = Array.isArray(until) ? until : [until]
    check(/^[1-9][0-9]{0,18}$/.test(id), 'taskId must be a positive integer or a string of digits')
    check(
      typeof pollMs === 'number' && pollMs >= MIN_POLL_MS && pollMs <= 0x7fffffff,
      `pollMs must be a number of ms in [${MIN_POLL_MS}, 2147483647]`,
    )
    check(
      wanted.length > 0 && wanted.every((s) => [1, 2, 11, 12, 13, 14, 15, 16].includes(s as number)),
      'until must be a task status or a non-empty list of them',
    )
    // size 10, not 1: the exact match below does not trust the filter to be exact.
    const body = { current: 1, size: 10, params: { taskId: id } }
    const requestOptions = signal && { signal }
    for (;;) {
      const page = await this.query(body, requestOptions)
      const task = page.records.find((r) => String(r.taskId) === id)
      if (!task) throw new TaskNotFoundError(id)
      if (wanted.includes(task.taskStatus)) return task
      await sleepFor(pollMs, signal, undefined)
    }
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new TypeError(`laaffic: ${message}`)
}
