import {
  AUTHENTICATION_ROW,
  CC_ROWS,
  defineOperation,
  IP_RESTRICTED_ROW,
  PARAMETER_ROW,
  SUCCESS_ROW,
  SYSTEM_ROW,
  TIMESTAMP_EXPIRED_ROW,
} from './common.js'

// The English addGroup/updateGroup pages print deleteGroup's "agents under this group" text
// for -63 (CC-FAMILY §3.2); we keep what they print rather than guess.
const AGENTS_UNDER_GROUP = {
  code: -63,
  reason: 'There are agents under this agent group, remove them first',
  meaning:
    'there are agents under this agent group, remove them first (text as printed; looks copied from deleteGroup)',
} as const

/** POST /v3/cc/seatGroup/query (CC-FAMILY §3.1). */
export const QUERY_SEAT_GROUPS = /* @__PURE__ */ defineOperation(
  {
    id: 'querySeatGroups',
    method: 'POST',
    path: '/v3/cc/seatGroup/query',
  },
  CC_ROWS,
)

/** POST /v3/cc/seatGroup/addGroup (CC-FAMILY §3.2, sibling-brand table). */
export const ADD_SEAT_GROUP = /* @__PURE__ */ defineOperation(
  {
    id: 'addSeatGroup',
    method: 'POST',
    path: '/v3/cc/seatGroup/addGroup',
  },
  CC_ROWS,
  [
    AGENTS_UNDER_GROUP,
    { code: -75, reason: 'Please contact the salesperson', meaning: 'please contact the salesperson' },
  ],
)

/** POST /v3/cc/seatGroup/updateGroup (CC-FAMILY §3.3, sibling-brand table). */
export const UPDATE_SEAT_GROUP = /* @__PURE__ */ defineOperation(
  {
    id: 'updateSeatGroup',
    method: 'POST',
    path: '/v3/cc/seatGroup/updateGroup',
  },
  CC_ROWS,
  [AGENTS_UNDER_GROUP],
)

/** GET /v3/cc/seatGroup/deleteGroup?voiceGroupId= (CC-FAMILY §3.4): no -20/-23, five codes of its own. */
export const DELETE_SEAT_GROUP = /* @__PURE__ */ defineOperation(
  {
    id: 'deleteSeatGroup',
    method: 'GET',
    path: '/v3/cc/seatGroup/deleteGroup',
  },
  [
    SUCCESS_ROW,
    AUTHENTICATION_ROW,
    IP_RESTRICTED_ROW,
    TIMESTAMP_EXPIRED_ROW,
    SYSTEM_ROW,
    PARAMETER_ROW,
    { code: -24, reason: 'Data does not exist', meaning: 'data does not exist (no such seat group)' },
    {
      code: -63,
      reason: 'WorkSpace mismatch',
      meaning:
        'WorkSpace mismatch (Chinese page; the English copy repeats "agents under this group, remove them first")',
    },
    {
      code: -64,
      reason: 'There are seats in this seat group, remove them first',
      meaning: 'the seat group still has seats; remove them first',
    },
    {
      code: -69,
      reason: 'The seat group is bound to a team leader, unbind it first',
      meaning: 'the seat group is bound to a team leader; unbind it first',
    },
    {
      code: -70,
      reason: 'The seat group is bound to a SIP trunk, unbind it first',
      meaning: 'the seat group is bound to a SIP trunk; unbind it first',
    },
  ],
)
