import { COUNTRIES } from '../dataset.js'

/**
 * Country calling codes the mock knows: updateSeat answers -66 for any other `ccode`. The
 * vendor publishes no list, so this is the ITU-T E.164 assignments a call centre commonly
 * dials plus every code the generated tasks use.
 */
export const KNOWN_CCODES: ReadonlySet<string> = new Set([
  ...COUNTRIES.map(([code]) => code),
  ...'1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
  ...'212 213 216 218 220 221 233 234 254 255 256 260 263 351 352 353 358 380 852 853 855 856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977'.split(
    ' ',
  ),
])
