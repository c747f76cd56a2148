#!/usr/bin/env node
// Backtest of the predictive blend's burst factor (docs/forecasting.md, "Bursts inside a
// bin"): how often the peak rate over a burst window inside the lead window exceeds the
// load the blend plans for, with and without the factor, and what that costs. It drives
// the built blend of @prescale/core (`pnpm build` first) over a trace, the way the
// simulator does: the warm-up seeds the history at the trace's own step, then one step
// per burst window feeds the observed rate, and every decision's
// `detail.forecast.planned` is compared with what came.
//
//   coverage = share of decisions where max(rate over a burst window in [t, t + lead)) ≤ planned
//   cost     = mean planned / mean rate over the same windows
//
// The blend's reactive part is a fixed count: only the predicted term is measured. The
// alternative that was not kept (the ratios of the last 7 days instead of the target's
// weekly slot) is computed here from the blend's own history for comparison.
//
// Usage: node scripts/burst-backtest.mjs [nasa|azure|all]   (PRESCALE_SHARED: the shared folder, default /work/shared)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScaler, parseCountTrace, rebin, sliceSeries } from '../packages/core/dist/index.js';

const SHARED = process.env.PRESCALE_SHARED ?? '/work/shared';
const QUANTILES = [0.25, 0.5, 0.75, 0.9];
const DAY = 86_400_000;

const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const pct = (x) => `${(100 * x).toFixed(1)} %`;

function readTrace(relative) {
  return parseCountTrace(readFileSync(join(SHARED, 'data', relative), 'utf8'), relative);
}

/** Type-7 quantile of unsorted values. */
function quantile(values, p) {
  const s = Float64Array.from(values).sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
}

/** The factor of the kept-out alternative: the `p` quantile of the last 7 days' ratios (at least 12), from the blend's history. */
function recentFactor(history, p) {
  const { values, peaks = [], binMs } = history;
  const ratios = [];
  if (peaks.length === values.length) {
    for (let i = Math.max(0, values.length - Math.round((7 * DAY) / binMs)); i < values.length; i++) {
      if (values[i] > 0 && peaks[i] !== null) ratios.push(peaks[i] / (values[i] / (binMs / 1000)));
    }
  }
  return ratios.length >= 12 ? Math.max(1, quantile(ratios, p)) : 1;
}

/**
 * One run: the blend with `burstQuantile` over `series` (counts per step) after `warmupMs`,
 * a step every `burst.windowMs`. Returns the rows (off and each quantile) of the table.
 */
function backtest({ series, warmupMs, binSeconds, windowSeconds, leadSeconds, forecaster, utcOffsetMinutes }) {
  const windowMs = windowSeconds * 1000;
  const windows = rebin(series, windowMs); // counts per burst window
  const rate = (i) => (windows.values[i] === null ? null : windows.values[i] / windowSeconds);
  const startMs = windows.startMs + warmupMs;
  const first = warmupMs / windowMs;
  const leadWindows = Math.ceil((leadSeconds * 1000) / windowMs);
  const seed = sliceSeries(series, series.startMs, startMs);
  const seedRates = { ...seed, values: seed.values.map((v) => (v === null ? null : v / (series.binMs / 1000))) };
  const arms = [0, ...QUANTILES].map((q) => ({ q, planned: 0, covered: 0, factors: [], from: {}, recentPlanned: 0, recentCovered: 0 }));
  let n = 0;
  let actual = 0;
  for (const arm of arms) {
    const predictive = { mode: 'auto', capacityPerReplica: 1, leadTimeSeconds: leadSeconds, binSeconds, burstQuantile: arm.q, burstWindowSeconds: windowSeconds, utcOffsetMinutes };
    const scaler = createScaler({ algorithm: 'blend', reactive: { algorithm: 'fixed', replicas: 1 }, predictive }, forecaster ? { forecaster } : {});
    let state = scaler.seed(scaler.init({ now: startMs, readyPods: 1 }), seedRates);
    let recent = { bin: -1, factor: 1 };
    for (let i = first; i < windows.values.length; i++) {
      const now = windows.startMs + i * windowMs;
      const step = scaler.step(state, { now, currentReplicas: 1, pods: [], requestRate: rate(i) });
      state = step.state;
      const f = step.decision.detail.forecast;
      if (f === null || i + leadWindows > windows.values.length) continue;
      const ahead = [];
      for (let k = i; k < i + leadWindows; k++) ahead.push(rate(k));
      if (ahead.some((r) => r === null)) continue;
      const peak = Math.max(...ahead);
      if (arm.q === 0) {
        n++;
        actual += ahead.reduce((a, b) => a + b, 0) / ahead.length;
      }
      arm.planned += f.planned;
      if (peak <= f.planned + 1e-9) arm.covered++;
      arm.factors.push(f.burstFactor);
      arm.from[f.burst.from] = (arm.from[f.burst.from] ?? 0) + 1;
      if (arm.q > 0) {
        const bin = Math.floor(now / (binSeconds * 1000));
        if (bin !== recent.bin) recent = { bin, factor: recentFactor(state.blend.history, arm.q) };
        const bins = step.decision.detail.bins.filter((b) => b.startMs <= now + leadSeconds * 1000);
        const planned = Math.max(...bins.map((b) => b.upper)) * recent.factor;
        arm.recentPlanned += planned;
        if (peak <= planned + 1e-9) arm.recentCovered++;
      }
    }
  }
  return { n, actual: actual / n, arms };
}

/** The cost of the `points` ([coverage, cost], by quantile) at `coverage`, interpolated linearly; NaN outside them. */
function costAt(points, coverage) {
  for (let i = 1; i < points.length; i++) {
    const [c0, k0] = points[i - 1];
    const [c1, k1] = points[i];
    if (c0 <= coverage && coverage <= c1 && c1 > c0) return k0 + ((k1 - k0) * (coverage - c0)) / (c1 - c0);
  }
  return Number.NaN;
}

function printTable(title, { n, actual, arms }) {
  console.log(`\n${title} (${n} decisions)\n`);
  const slotUsed = arms.some((a) => (a.from['weekly-slot'] ?? 0) > 0);
  console.log('| planned load | burst ratios from | coverage of the peak | planned / actual | median factor | factor from (slot / recent / none) |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const a of arms) {
    const median = a.factors.length ? quantile(a.factors, 0.5) : Number.NaN;
    const from = `${a.from['weekly-slot'] ?? 0} / ${a.from.recent ?? 0} / ${a.from.none ?? 0}`;
    const label = a.q === 0 ? 'forecast (off)' : `forecast × factor, burstQuantile ${a.q}`;
    const source = a.q === 0 ? '–' : slotUsed ? 'weekly slot (kept)' : 'last 7 days (no weekly slot yet)';
    console.log(`| ${label} | ${source} | ${pct(a.covered / n)} | ${fmt(a.planned / n / actual)} | ${fmt(median, 2)} | ${a.q === 0 ? '–' : from} |`);
    if (a.q > 0 && slotUsed) console.log(`| forecast × factor, quantile ${a.q} | last 7 days (not kept) | ${pct(a.recentCovered / n)} | ${fmt(a.recentPlanned / n / actual)} | | |`);
  }
  if (!slotUsed) return;
  // Both ways compared at the same coverage: the cost of the last 7 days' ratios at each coverage the weekly slot reached.
  const recent = arms.map((a) => (a.q === 0 ? [a.covered / n, a.planned / n / actual] : [a.recentCovered / n, a.recentPlanned / n / actual]));
  const same = arms
    .filter((a) => a.q > 0)
    .map((a) => {
      const other = costAt(recent, a.covered / n);
      return `${pct(a.covered / n)}: ${fmt(a.planned / n / actual)} vs ${fmt(other)}`;
    });
  console.log(`\nAt the same coverage, planned / actual with the weekly slot vs the last 7 days: ${same.join('; ')}`);
}

/** A forecaster for traces too short to learn from: every bin ahead is `value(targetMs)` (p50 = upper). */
function constantForecaster(name, value) {
  return (request) => {
    const { series, atMs, horizonMs } = request;
    const points = [];
    for (let t = atMs; t < atMs + horizonMs; t += series.binMs) {
      const v = value(series, atMs, t);
      points.push({ targetMs: t, horizonMs: t - atMs + series.binMs, model: 'persistence', parameters: name, point: v, p50: v, upper: v, samples: 0, recentError: 0 });
    }
    return { status: 'ok', model: 'persistence', issuedMs: atMs, binMs: series.binMs, quantile: 0.9, history: { state: 'DailyPattern', haveMs: DAY }, points };
  };
}

function nasa() {
  const series = readTrace('nasa_http_1995/arrivals_1min.csv');
  for (const leadSeconds of [480, 900]) {
    const result = backtest({ series, warmupMs: 14 * DAY, binSeconds: 600, windowSeconds: 60, leadSeconds, forecaster: null, utcOffsetMinutes: series.utcOffsetMinutes });
    printTable(`NASA-HTTP 1995, 10-minute bins, 1-minute peaks, lead ${leadSeconds / 60} min, model auto, warm-up 14 days`, result);
  }
}

function azure() {
  for (const name of ['conv', 'code']) {
    const raw = readTrace(`azure_llm_2023_${name}/arrivals_1s.csv`);
    // The first and last minutes are partial (the trace starts at 18:15:46 and ends at 19:14:08).
    const series = sliceSeries(raw, raw.startMs + 60_000, raw.startMs + (Math.floor(raw.values.length / 60) - 1) * 60_000);
    const bins = rebin(series, 600_000).values.map((v) => v / 600);
    const minutes = rebin(series, 60_000).values;
    const ratios = bins.map((mean, b) => Math.max(...minutes.slice(10 * b, 10 * b + 10)) / 60 / mean);
    console.log(`\nAzure LLM 2023 ${name}: 10-minute bins' 1-minute peak / mean: ${ratios.map((r) => fmt(r, 2)).join(', ')}`);
    const known = (s, t) => s.values[(t - s.startMs) / s.binMs] ?? null;
    const oracle = constantForecaster('oracle mean', (_, __, t) => minutes[(t - series.startMs) / 60_000] ?? 0);
    const persistence = constantForecaster('last bin', (s, atMs) => known(s, atMs - s.binMs) ?? 0);
    for (const [label, forecaster] of [['the bin mean known in advance', oracle], ['persistence (the last bin)', persistence]]) {
      const result = backtest({ series, warmupMs: 0, binSeconds: 60, windowSeconds: 10, leadSeconds: 50, forecaster, utcOffsetMinutes: 0 });
      printTable(`Azure LLM 2023 ${name}, 1-minute bins, 10-second peaks, lead 50 s, forecast: ${label}`, result);
    }
  }
}

const which = process.argv[2] ?? 'all';
if (which === 'nasa' || which === 'all') nasa();
if (which === 'azure' || which === 'all') azure();
