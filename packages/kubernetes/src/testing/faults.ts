/**
 * Faults a test injects into the stand-in API server, per request pattern: an error
 * status (answered as a `Status`), a delay, or a dropped connection.
 * @module
 */

/** The request a fault is matched against. */
export interface FaultRequest {
  method: string;
  path: string;
  user: string;
  body: unknown;
  query: Record<string, string>;
}

export interface FaultRule {
  method?: string;
  /** Matched against the path (without the query). */
  path?: RegExp;
  /** Further condition on the request (body parsed for writes). */
  when?: (req: FaultRequest) => boolean;
  /** Answer with this status and a Status body instead of serving. */
  status?: number;
  /** Wait this long first (then serve, or fail with `status`). */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** How many requests this rule applies to; default unlimited. */
  times?: number;
}

/** The first rule that applies to `req`, one of its `times` used up; undefined when none does. */
export function takeFault(rules: readonly FaultRule[], req: FaultRequest): FaultRule | undefined {
  const fault = rules.find(
    (f) =>
      (f.times === undefined || f.times > 0) &&
      (f.method === undefined || f.method === req.method) &&
      (f.path === undefined || f.path.test(req.path)) &&
      (f.when === undefined || f.when(req)),
  );
  if (fault?.times !== undefined) fault.times -= 1;
  return fault;
}
