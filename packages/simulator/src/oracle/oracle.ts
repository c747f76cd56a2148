/**
 * The offline oracle (reference simulator.md §4.3): the cheapest replica schedule that
 * has enough ready replicas in every window, knowing the whole future load and the cold
 * start.
 *
 * 1. Need curve: `need_w = ceil(arrivals_w / (Δ · capacityRps))`, the replicas that
 *    serve window w's arrivals at the SLO (capacity from the profile), within
 *    [minReplicas, maxReplicas].
 * 2. Schedule: ready counts r_w minimising `Σ Δ·r_w + S·Σ max(0, r_w − r_{w−1})` with
 *    `r_w ≥ need_w`, where S is the GPU time a pod is billed while it starts. A pod
 *    becomes ready `lead` windows after it is ordered, so no more than the initial
 *    replicas can be ready before then. Dynamic programming over (window, replicas) in
 *    O(W·R) with a running minimum; it keeps replicas through a dip shorter than a cold
 *    start when that is cheaper (the ski-rental choice).
 * 3. Replay: at window w the oracle asks for `max(r_w, …, r_{w+lead})` pods, so the pods
 *    a coming rise needs are ordered one cold start ahead; the schedule then runs through
 *    the same simulator as every scaler.
 * @module
 */

export interface OracleInput {
  /** Arrivals in each window. */
  arrivals: ArrayLike<number>;
  windowSeconds: number;
  /** Sustainable requests per second per replica. */
  capacityRps: number;
  minReplicas: number;
  maxReplicas: number;
  /** Ready replicas at time 0. */
  initialReplicas: number;
  /** Windows from ordering a pod to its being ready (a high quantile of the cold start). */
  leadWindows: number;
  /** GPU-seconds billed while a pod starts (the mean cold start). */
  setupSeconds: number;
}

export interface OracleSchedule {
  /** Replicas needed in each window, within [min, max]. */
  need: Int32Array;
  /** Replicas needed without the max bound: where it exceeds maxReplicas, no schedule can meet the SLO. */
  unboundedNeed: Int32Array;
  /** Ready replicas the optimum keeps in each window. */
  ready: Int32Array;
  /** Pods to ask for in each window (ordering ahead of the cold start). */
  desired: Int32Array;
  /** The optimum's cost, GPU-seconds (windows × ready + starts × setup). */
  plannedGpuSeconds: number;
}

export function needCurve(arrivals: ArrayLike<number>, windowSeconds: number, capacityRps: number): Int32Array {
  const need = new Int32Array(arrivals.length);
  for (let w = 0; w < arrivals.length; w++) need[w] = Math.ceil(arrivals[w]! / (windowSeconds * capacityRps) - 1e-9);
  return need;
}

export function oracleSchedule(o: OracleInput): OracleSchedule {
  return oracleScheduleForNeed(needCurve(o.arrivals, o.windowSeconds, o.capacityRps), o);
}

/**
 * Steps 2–3 for a need curve given directly (replicas per window before the bounds):
 * the fleet oracle's per-type need comes from a solve per window, not from one capacity.
 */
export function oracleScheduleForNeed(unboundedNeed: Int32Array, o: Omit<OracleInput, 'arrivals' | 'capacityRps'>): OracleSchedule {
  const W = unboundedNeed.length;
  const R = o.maxReplicas;
  const need = new Int32Array(W);
  for (let w = 0; w < W; w++) need[w] = Math.min(R, Math.max(o.minReplicas, unboundedNeed[w]!));
  const S = o.setupSeconds;
  const D = o.windowSeconds;
  const initial = Math.min(R, Math.max(o.minReplicas, o.initialReplicas));
  // cost[r]: cheapest cost so far ending with r ready; choice[w·(R+1) + r]: r of window w − 1.
  let cost = new Float64Array(R + 1).fill(Infinity);
  cost[initial] = 0;
  let next = new Float64Array(R + 1);
  const choice = new Int16Array(W * (R + 1));
  const suffixMin = new Float64Array(R + 2);
  const suffixArg = new Int16Array(R + 2);
  for (let w = 0; w < W; w++) {
    const upper = w < o.leadWindows ? Math.max(initial, o.minReplicas) : R;
    const lower = Math.min(need[w]!, upper);
    suffixMin[R + 1] = Infinity;
    for (let r = R; r >= 0; r--) {
      if (cost[r]! < suffixMin[r + 1]!) {
        suffixMin[r] = cost[r]!;
        suffixArg[r] = r;
      } else {
        suffixMin[r] = suffixMin[r + 1]!;
        suffixArg[r] = suffixArg[r + 1]!;
      }
    }
    // prefix minimum of cost[r'] − S·r' over r' < r
    let prefixMin = Infinity;
    let prefixArg = -1;
    next.fill(Infinity);
    for (let r = 0; r <= R; r++) {
      if (r >= lower && r <= upper) {
        let best = suffixMin[r]!;
        let arg = suffixArg[r]!;
        const up = prefixMin + S * r;
        if (up < best) {
          best = up;
          arg = prefixArg;
        }
        next[r] = best + D * r;
        choice[w * (R + 1) + r] = arg;
      }
      const v = cost[r]! - S * r;
      if (v < prefixMin) {
        prefixMin = v;
        prefixArg = r;
      }
    }
    [cost, next] = [next, cost];
  }
  let r = 0;
  for (let k = 1; k <= R; k++) if (cost[k]! < cost[r]!) r = k;
  const plannedGpuSeconds = cost[r]!;
  const ready = new Int32Array(W);
  for (let w = W - 1; w >= 0; w--) {
    ready[w] = r;
    r = choice[w * (R + 1) + r]!;
  }
  const desired = new Int32Array(W);
  for (let w = 0; w < W; w++) {
    let d = ready[w]!;
    for (let j = 1; j <= o.leadWindows && w + j < W; j++) if (ready[w + j]! > d) d = ready[w + j]!;
    desired[w] = d;
  }
  return { need, unboundedNeed, ready, desired, plannedGpuSeconds };
}
