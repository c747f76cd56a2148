/**
 * Per-pod values out of a round of scrapes: a gauge as exposed, a counter as a rate
 * per second since the previous scrape, or a quantile of a histogram. A pod whose
 * scrape failed, that lacks the metric, or that has no previous scrape to take a rate
 * against gets `null` with the reason: a missing value is never read as 0 (the failure
 * behind AIBrix issues #1032 and #617, where a failed fetch counted as zero load).
 *
 * Rates follow PromQL's counter semantics between two scrapes: per series, a drop
 * means the counter restarted from 0, so the increase is the new value (as `rate` and
 * `increase` treat resets); a series needs two scrapes before it counts, as in PromQL,
 * so a pod whose counters only just appeared (an engine still starting) does not report
 * its whole total as one interval's increase. Quantiles use {@link bucketQuantile}, over the buckets' increase since the
 * previous scrape (`over: 'interval'`, like `histogram_quantile(φ, rate(x_bucket[…]))`)
 * or their totals since the pod started (`over: 'lifetime'`). Several matching series
 * are aggregated per pod (summed by default; buckets are summed by `le`).
 *
 * State is plain data and kept only for the pods of the latest round.
 * @module
 */
import type { PrometheusError } from '../errors.js';
import type { MetricFamily, Sample } from '../exposition/types.js';
import { formatLabels } from '../http/apiResponse.js';
import { parseGoFloat } from '../goFloat.js';
import { type Bucket, bucketQuantile } from './histogramQuantile.js';
import { type Matchers, matchesLabels } from './matchers.js';
import type { PodScrape } from './scrapePods.js';

export type PodRead =
  | { kind: 'gauge'; metric: string; match?: Matchers; aggregate?: 'sum' | 'max' | 'min' | 'avg' }
  | { kind: 'rate'; metric: string; match?: Matchers }
  | { kind: 'quantile'; metric: string; q: number; match?: Matchers; over?: 'interval' | 'lifetime' };

/**
 * - `ScrapeFailed`: the pod's scrape failed (`error` says how).
 * - `Absent`: the pod's page has no matching series.
 * - `FirstScrape`: a rate or interval quantile needs a previous scrape of the pod.
 * - `NoObservations`: a histogram saw no observation in the interval.
 * - `NotFinite`: the value is NaN or infinite.
 */
export type MissingReason = 'ScrapeFailed' | 'Absent' | 'FirstScrape' | 'NoObservations' | 'NotFinite';

export type PodValue = { pod: string; value: number } | { pod: string; value: null; reason: MissingReason; error?: PrometheusError };

export interface PodReadState {
  /** Per pod: when its counters were read and their values, by series. */
  pods: Record<string, { atMs: number; counters: Record<string, number> }>;
}

export interface PodReadResult {
  state: PodReadState;
  /** Per read name, one value per scrape, in scrape order. */
  values: Record<string, PodValue[]>;
}

function index(families: readonly MetricFamily[]): Map<string, Sample[]> {
  const byName = new Map<string, Sample[]>();
  for (const f of families) {
    for (const s of f.samples) {
      const list = byName.get(s.name);
      if (list === undefined) byName.set(s.name, [s]);
      else list.push(s);
    }
  }
  return byName;
}

function seriesKey(s: Sample): string {
  return formatLabels({ ...s.labels, __name__: s.name });
}

function missing(pod: string, reason: MissingReason, error?: PrometheusError): PodValue {
  return error === undefined ? { pod, value: null, reason } : { pod, value: null, reason, error };
}

function finite(pod: string, v: number): PodValue {
  return Number.isFinite(v) ? { pod, value: v } : missing(pod, 'NotFinite');
}

/** Increase of one counter series since the previous reading (a drop is a restart from 0); undefined without one. */
function increase(previous: Record<string, number> | undefined, key: string, value: number): number | undefined {
  const p = previous?.[key];
  if (p === undefined) return undefined;
  return value >= p ? value - p : value;
}

/** Reads every `reads` entry for every scrape; returns the next state. */
export function readPods(state: PodReadState | undefined, scrapes: readonly PodScrape[], reads: Readonly<Record<string, PodRead>>): PodReadResult {
  const values: Record<string, PodValue[]> = {};
  for (const name of Object.keys(reads)) values[name] = [];
  const pods: PodReadState['pods'] = {};

  for (const scrape of scrapes) {
    const previous = state?.pods[scrape.pod];
    if (!scrape.ok) {
      if (previous !== undefined) pods[scrape.pod] = previous;
      for (const name of Object.keys(reads)) values[name]!.push(missing(scrape.pod, 'ScrapeFailed', scrape.error));
      continue;
    }
    const byName = index(scrape.families);
    const counters: Record<string, number> = {};
    const seconds = previous === undefined ? 0 : (scrape.atMs - previous.atMs) / 1000;

    for (const [name, read] of Object.entries(reads)) {
      const out = values[name]!;
      if (read.kind === 'gauge') {
        const matched = (byName.get(read.metric) ?? []).filter((s) => matchesLabels(s.labels, read.match));
        if (matched.length === 0) out.push(missing(scrape.pod, 'Absent'));
        else out.push(finite(scrape.pod, aggregate(matched.map((s) => s.value), read.aggregate ?? 'sum')));
        continue;
      }
      if (read.kind === 'rate') {
        const matched = (byName.get(read.metric) ?? []).filter((s) => matchesLabels(s.labels, read.match));
        let total = 0;
        let paired = 0;
        for (const s of matched) {
          const key = seriesKey(s);
          counters[key] = s.value;
          const inc = increase(previous?.counters, key, s.value);
          if (inc === undefined) continue;
          total += inc;
          paired++;
        }
        if (matched.length === 0) out.push(missing(scrape.pod, 'Absent'));
        else if (paired === 0 || seconds <= 0) out.push(missing(scrape.pod, 'FirstScrape'));
        else out.push(finite(scrape.pod, total / seconds));
        continue;
      }
      const over = read.over ?? 'interval';
      const byLe = new Map<number, number>();
      let matched = 0;
      for (const s of byName.get(`${read.metric}_bucket`) ?? []) {
        if (!matchesLabels(s.labels, read.match)) continue;
        const le = parseGoFloat(s.labels.le ?? '');
        if (le === undefined) continue;
        matched++;
        let count: number | undefined = s.value;
        if (over === 'interval') {
          const key = seriesKey(s);
          counters[key] = s.value;
          count = increase(previous?.counters, key, s.value);
          if (count === undefined) continue;
        }
        byLe.set(le, (byLe.get(le) ?? 0) + count);
      }
      if (matched === 0) out.push(missing(scrape.pod, 'Absent'));
      else if (over === 'interval' && (byLe.size === 0 || seconds <= 0)) out.push(missing(scrape.pod, 'FirstScrape'));
      else {
        const buckets: Bucket[] = [...byLe].map(([upperBound, count]) => ({ upperBound, count }));
        const total = byLe.get(Infinity);
        if (total === 0) out.push(missing(scrape.pod, 'NoObservations'));
        else out.push(finite(scrape.pod, bucketQuantile(read.q, buckets)));
      }
    }
    pods[scrape.pod] = { atMs: scrape.atMs, counters };
  }
  return { state: { pods }, values };
}

function aggregate(vs: number[], how: 'sum' | 'max' | 'min' | 'avg'): number {
  switch (how) {
    case 'sum':
      return vs.reduce((a, b) => a + b, 0);
    case 'avg':
      return vs.reduce((a, b) => a + b, 0) / vs.length;
    case 'max':
      return Math.max(...vs);
    case 'min':
      return Math.min(...vs);
  }
}

