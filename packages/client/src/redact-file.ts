// A run of base64 characters long enough to be worth checking (shorter runs are ordinary words).
const BASE64_RUN = /[\w+/=-]{8,}/g

/**
 * A scrubber for the errors of a call that sent `file` (an upload's base64): every run of base64
 * characters in a text that is a piece of it becomes the file's size. An error excerpt cut
 * anywhere in an echoed request, or a server that echoes the content under another key, then
 * cannot show the file's bytes (phone numbers); the protocol's rule only knows a `file` key. A
 * long run counts when its first or last 16 characters are a piece, so a key glued to the value
 * (`file=…`) or a cut at either end still matches.
 */
export const fileRedactor =
  (file: string) =>
  (text: string): string =>
    text.replace(BASE64_RUN, (run) =>
      [run, run.slice(0, 16), run.slice(-16)].some((piece) => file.includes(piece))
        ? `[file: ${file.length} base64 characters]`
        : run,
    )
