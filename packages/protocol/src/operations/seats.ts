import { CC_ROWS, defineOperation } from './common.js'

// -67 appears on two pages with one meaning.
const SEAT_IN_CALL = {
  code: -67,
  reason: 'The seat is in a call, try again later',
  meaning: 'the seat is in a call; try again later',
} as const

/**
 * POST /v3/cc/seat/query (CC-FAMILY §3.8). The page's status table is cut off in every stored
 * copy: this is the table the other `cc` list pages print (an inference), with -22 also
 * answering a statistics window longer than 32 days.
 */
export const QUERY_SEATS = /* @__PURE__ */ defineOperation(
  {
    id: 'querySeats',
    method: 'POST',
    path: '/v3/cc/seat/query',
  },
  CC_ROWS,
)

/** POST /v3/cc/seat/addSeatList (CC-FAMILY §3.9, sibling-brand table). */
export const ADD_SEATS = /* @__PURE__ */ defineOperation(
  {
    id: 'addSeats',
    method: 'POST',
    path: '/v3/cc/seat/addSeatList',
  },
  CC_ROWS,
  [
    {
      code: -36,
      reason: 'More than the number of seats you may create',
      meaning: 'more than the number of seats the account may create',
    },
  ],
)

/** POST /v3/cc/seat/updateSeat (CC-FAMILY §3.10, LAAFFIC page). */
export const UPDATE_SEAT = /* @__PURE__ */ defineOperation(
  {
    id: 'updateSeat',
    method: 'POST',
    path: '/v3/cc/seat/updateSeat',
  },
  CC_ROWS,
  [
    { code: -34, reason: 'Employee number already in use', meaning: 'employee number (empNo) already used' },
    {
      code: -64,
      reason: 'The password may contain only letters and digits',
      meaning: 'the password may contain only letters and digits',
    },
    {
      code: -65,
      reason: 'The seat group does not belong to the current application',
      meaning: 'the target seat group does not belong to the current application',
    },
    {
      code: -66,
      reason: 'The country code does not exist',
      meaning: 'the country code (ccode) does not exist',
    },
    SEAT_IN_CALL,
  ],
)

/** POST /v3/cc/seat/batchingSeat (CC-FAMILY §3.11, sibling-brand table). */
export const BATCH_SEATS = /* @__PURE__ */ defineOperation(
  {
    id: 'batchSeats',
    method: 'POST',
    path: '/v3/cc/seat/batchingSeat',
  },
  CC_ROWS,
  [
    SEAT_IN_CALL,
    {
      code: -68,
      reason: 'Seats used by a group-call task cannot be deleted until the task ends',
      meaning: 'seats used by a group-call task cannot be deleted until the task ends',
    },
  ],
)
