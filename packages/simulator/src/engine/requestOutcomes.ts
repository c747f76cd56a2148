/**
 * What became of a run's requests: TTFT, TPOT, inter-token and end-to-end histograms,
 * completions, drops, SLO attainment and TTFT per chart window. It is where every
 * replica of the run reports (the {@link ReplicaSink}), and it frees a request's slot in
 * the pool once counted.
 * @module
 */
import { LogHistogram } from '../stats/logHistogram.js';
import type { ReplicaSink } from './replica.js';
import type { RequestPool } from './requestPool.js';

export class RequestOutcomes implements ReplicaSink {
  readonly ttft = new LogHistogram();
  readonly tpot = new LogHistogram();
  readonly interTokenGaps = new LogHistogram();
  readonly e2e = new LogHistogram();
  /** TTFT of the requests arriving in each chart window. */
  readonly ttftByChartWindow: LogHistogram[] = [];
  completedCount = 0;
  abortedCount = 0;
  /** Completed requests within both SLO limits. */
  sloMet = 0;
  /** The same, per timeline window of the requests' arrival. */
  readonly sloMetByWindow: Float64Array;
  private readonly ttftLimit: number;
  private readonly tpotLimit: number;

  constructor(
    private readonly pool: RequestPool,
    slo: { ttftSeconds: number; tpotSeconds: number },
    private readonly chartSeconds: number,
    durationSeconds: number,
    private readonly windowSeconds: number,
  ) {
    this.sloMetByWindow = new Float64Array(Math.ceil(durationSeconds / windowSeconds));
    const charts = Math.ceil(durationSeconds / chartSeconds);
    for (let i = 0; i < charts; i++) this.ttftByChartWindow.push(new LogHistogram(1e-3, 24, 3));
    this.ttftLimit = slo.ttftSeconds;
    this.tpotLimit = slo.tpotSeconds;
  }

  completed(req: number, time: number): void {
    const pool = this.pool;
    const arrival = pool.arrival[req]!;
    const first = pool.firstToken[req]!;
    const ttft = first - arrival;
    const out = pool.output[req]!;
    const tpot = out > 1 ? (time - first) / (out - 1) : 0;
    this.ttft.add(ttft);
    if (out > 1) this.tpot.add(tpot);
    this.e2e.add(time - arrival);
    this.completedCount++;
    if (ttft <= this.ttftLimit && tpot <= this.tpotLimit) {
      this.sloMet++;
      const w = Math.floor(arrival / this.windowSeconds);
      if (w < this.sloMetByWindow.length) this.sloMetByWindow[w]!++;
    }
    const c = Math.floor(arrival / this.chartSeconds);
    if (c < this.ttftByChartWindow.length) this.ttftByChartWindow[c]!.add(ttft);
    pool.release(req);
  }

  aborted(req: number): void {
    this.abortedCount++;
    this.pool.release(req);
  }

  interToken(seconds: number, count: number): void {
    this.interTokenGaps.add(seconds, count);
  }
}
