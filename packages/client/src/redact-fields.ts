// Seat passwords arrive in clear in `seats.query` records (CC-FAMILY §3.8). The caller gets them;
// nothing the client produces on its own (error messages, bodyExcerpt, an error's body, log lines
// built from errors) may carry one.

const REDACTED = '[redacted]'

/** A JSON `"password": <value>` pair in text, the value possibly cut short by an excerpt. */
const PASSWORD_PAIR = /("password"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/gi

/** `text` with the value of every `"password":` pair replaced. */
export function redactPasswordPairs(text: string): string {
  return text.replace(PASSWORD_PAIR, `$1"${REDACTED}"`)
}

/** Whether an object key names a password (its value is replaced wherever an error holds it). */
export function isPasswordKey(key: string): boolean {
  return key.toLowerCase() === 'password'
}

export { REDACTED }
