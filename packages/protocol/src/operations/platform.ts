/**
 * The platform's general v3 status table, -1 … -32 (CC-FAMILY §5.2: the sibling brand's SMS
 * page; no LAAFFIC copy was found). No call-center page lists -15 or -29 … -32, but they concern
 * rate limits, authentication and allowlists, so any v3 endpoint may plausibly return them.
 * A client should still treat a code its operation does not list as a generic API error that
 * keeps the number and the reason. Meanings of -27 … -29 are SMS-specific and conflict with the
 * OTP table (-29 there is "sensitive words"); they are kept as the SMS page prints them.
 */
export const PLATFORM_STATUS_CODES = /* @__PURE__ */ Object.freeze([
  { code: -1, reason: 'Authentication error' },
  { code: -2, reason: 'Restricted IP access' },
  { code: -3, reason: 'Sensitive characters in SMS content' },
  { code: -4, reason: 'SMS content is empty' },
  { code: -5, reason: 'SMS content too long' },
  { code: -6, reason: 'SMS is not a template' },
  { code: -7, reason: 'Too many phone numbers' },
  { code: -8, reason: 'Phone number is empty' },
  { code: -9, reason: 'Abnormal phone number' },
  { code: -10, reason: 'Customer balance insufficient' },
  { code: -11, reason: 'Wrong time format' },
  { code: -12, reason: 'Platform error, submit failed: contact the administrator' },
  { code: -13, reason: 'User locked' },
  { code: -14, reason: 'Field empty or abnormal query id' },
  { code: -15, reason: 'Query too frequent' },
  { code: -16, reason: 'Timestamp expired' },
  { code: -17, reason: 'SMS template is empty' },
  { code: -18, reason: 'Port program unusual' },
  { code: -19, reason: 'Confirm SMS pricing with the business team' },
  { code: -20, reason: 'Data already exists' },
  { code: -21, reason: 'Data validation exception' },
  { code: -22, reason: 'Parameter exception' },
  { code: -23, reason: 'Data caps' },
  { code: -24, reason: 'Data does not exist' },
  { code: -25, reason: 'Out of time range' },
  { code: -26, reason: 'Failed to get the fee' },
  { code: -27, reason: 'Period total send limit' },
  { code: -28, reason: 'Period per-phone send limit' },
  { code: -29, reason: 'WorkSpace disabled' },
  { code: -30, reason: 'API Key disabled' },
  { code: -31, reason: 'IP not in the whitelist' },
  { code: -32, reason: 'API Key has no permission for this application' },
] as const)

export type PlatformStatus = (typeof PLATFORM_STATUS_CODES)[number]
