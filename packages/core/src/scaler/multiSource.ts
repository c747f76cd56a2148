/**
 * Several metric sources on one autoscaler: each source's scaler proposes a count and
 * the largest proposal wins, as in AIBrix (`computeScaleDecision`: the maximum of the
 * valid per-metric recommendations, reference/aibrix.md 2.2 step 5; multi-metric
 * support from AIBrix PR #1688) and Kubernetes' HPA (`computeReplicasForMetrics`,
 * reference/knative-hpa.md B.3.5).
 *
 * A source that has no proposal this step (its fetch failed, its window is empty, its
 * value was unusable) is left out: it never counts as a proposal of zero, which would
 * let the others scale down behind its back (AIBrix PR #2592). When no source proposes
 * anything, the combination holds the current count (clamped to the bounds).
 * @module
 */
import { clampToBounds, type ReasonCode } from '../decision.js';

/** What one source proposed in a step: plain data, as written to status. */
export interface SourceProposal {
  /** The source's metric key. */
  source: string;
  /** The value its scaler decided on (per pod or total, as the algorithm reads it); null when none. */
  value: number | null;
  /** The replicas it proposes; null when it proposes nothing (missing or unusable). */
  desiredReplicas: number | null;
  /** Its own reasons, most important first. */
  reasons: readonly ReasonCode[];
}

export interface CombinedProposal {
  desiredReplicas: number;
  /** Index of the proposal that won (the first of equal ones); null when none was usable. */
  winner: number | null;
  /** False when no source proposed anything and the count is held. */
  valid: boolean;
}

/** A proposal that can win: a whole, non-negative, finite count. */
export function usableProposal(p: SourceProposal): boolean {
  return p.desiredReplicas !== null && Number.isInteger(p.desiredReplicas) && p.desiredReplicas >= 0;
}

/** The largest usable proposal, clamped to the bounds; the current count (clamped) when there is none. */
export function combineProposals(
  proposals: readonly SourceProposal[],
  currentReplicas: number,
  bounds: { minReplicas: number; maxReplicas: number },
): CombinedProposal {
  let winner: number | null = null;
  proposals.forEach((p, i) => {
    if (!usableProposal(p)) return;
    if (winner === null || (p.desiredReplicas as number) > (proposals[winner]!.desiredReplicas as number)) winner = i;
  });
  const chosen = winner === null ? currentReplicas : (proposals[winner]!.desiredReplicas as number);
  return { desiredReplicas: clampToBounds(chosen, bounds.minReplicas, bounds.maxReplicas).replicas, winner, valid: winner !== null };
}
