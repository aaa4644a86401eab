/** Admin bodies are small (scenarios, clock, accounts); anything larger is refused unread past this. */
export const MAX_ADMIN_BODY_CHARS = 65_536

/** An admin request's JSON body; an empty body is `{}`. */
export async function jsonBody(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    if (Number(req.headers.get('Content-Length') ?? 0) > MAX_ADMIN_BODY_CHARS) return { ok: false }
    const text = await req.text()
    if (text.length > MAX_ADMIN_BODY_CHARS) return { ok: false }
    return { ok: true, value: text === '' ? {} : JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}
