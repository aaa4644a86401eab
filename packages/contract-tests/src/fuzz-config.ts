/** A positive whole number from the environment, or the default; anything else is an error, not 0 runs. */
export function positiveInt(
  name: string,
  fallback: number,
  env: Record<string, string | undefined> = process.env,
): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[1-9]\d*$/.test(raw))
    throw new Error(`${name} must be a whole number of at least 1, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

/** Fixed seed in CI, bigger runs on demand: `FC_SEED=… FC_RUNS=5000 pnpm contract`. */
export function fuzzConfig(env: Record<string, string | undefined> = process.env): {
  seed: number
  numRuns: number
} {
  return { seed: positiveInt('FC_SEED', 20250110, env), numRuns: positiveInt('FC_RUNS', 150, env) }
}
