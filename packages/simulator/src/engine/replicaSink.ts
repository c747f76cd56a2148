/**
 * What a replica reports to (its sink: the run's request outcomes, or a fleet's router)
 * and the phases of its pod's life (reference simulator.md §2.1).
 * @module
 */

/** Where a replica reports finished requests and inter-token gaps. */
export interface ReplicaSink {
  /** The request produced its last token at `time` (s). The sink releases its slot. */
  completed(req: number, time: number): void;
  /** The request was dropped at `time`: killed at the end of a drain, or larger than the whole KV cache. */
  aborted(req: number, time: number): void;
  /** `count` inter-token gaps of `seconds` each. */
  interToken(seconds: number, count: number): void;
}

export type ReplicaPhase = 'starting' | 'ready' | 'draining' | 'terminated';
