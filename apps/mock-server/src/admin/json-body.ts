/** An admin request's JSON body; an empty body is `{}`. */
export async function jsonBody(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    const text = await req.text()
    return { ok: true, value: text === '' ? {} : JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}
