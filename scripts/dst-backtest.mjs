#!/usr/bin/env node
// Backtest of the weekly pattern in a time zone (docs/forecasting.md, "Time zones and
// daylight saving"): NASA's 1995 trace, whose demand follows the wall clock of Florida,
// is moved onto the wall clock of Europe/Berlin around a daylight-saving change, keeping
// its weekdays (1995-07-01 and the chosen start are Saturdays) and its times of day; the
// change falls on source day 36 (Sunday 1995-08-06). The UTC series this gives is what
// a Berlin service whose users keep office hours would record. Then the walk-forward
// backtest of @prescale/core (`pnpm build` first) runs twice on it, the weekly pattern
// read in UTC weeks (the trace's offset at its start) and in Berlin's (timeZone), and
// both are scored on the same UTC bins, per week around the change.
//
// Usage: node scripts/dst-backtest.mjs [spring|autumn] [models] [weeks]   (weeks: move the change that many weeks later in the trace)   (PRESCALE_SHARED: the shared folder, default /work/shared)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backtest, parseCountTrace, rebin, zoneOffsetMinutes } from '../packages/core/dist/index.js';

const SHARED = process.env.PRESCALE_SHARED ?? '/work/shared';
const ZONE = 'Europe/Berlin';
const DAY = 86_400_000;
const BIN = 600_000;
const HORIZON = 1_800_000;
const CASES = {
  spring: { start: Date.UTC(2025, 1, 22), change: Date.UTC(2025, 2, 30, 1) },
  autumn: { start: Date.UTC(2025, 8, 20), change: Date.UTC(2025, 9, 26, 1) },
};

/** The UTC instant at which Berlin's wall clock shows `wall` (ms of a UTC date); null in the skipped hour. The repeated hour: its first pass. */
function berlinInstant(wall) {
  for (const guess of [zoneOffsetMinutes(ZONE, wall - 3 * 3_600_000), zoneOffsetMinutes(ZONE, wall + 3 * 3_600_000)]) {
    const u = wall - guess * 60_000;
    if (u + zoneOffsetMinutes(ZONE, u) * 60_000 === wall) return u;
  }
  return null;
}

/** NASA at 10-minute bins, moved onto Berlin's wall clock from `start` (a Saturday, local date). */
function relocated(start) {
  const src = rebin(parseCountTrace(readFileSync(join(SHARED, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8'), 'nasa'), BIN);
  const firstWall = src.startMs + src.utcOffsetMinutes * 60_000; // 1995-07-01T00:00 as a UTC date
  const placed = new Map();
  let lo = Infinity;
  let hi = -Infinity;
  src.values.forEach((v, i) => {
    const u = berlinInstant(start + (src.startMs + i * BIN + src.utcOffsetMinutes * 60_000 - firstWall));
    if (u === null || placed.has(u)) return;
    placed.set(u, v);
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  });
  const values = [];
  for (let u = lo; u <= hi; u += BIN) values.push(placed.get(u) ?? null);
  return { startMs: lo, binMs: BIN, values, utcOffsetMinutes: zoneOffsetMinutes(ZONE, lo) };
}

function maeBy(result, model, windows) {
  const f = result.forecasts.find((x) => x.model === model);
  return windows.map(([from, to]) => {
    let abs = 0;
    let n = 0;
    for (let i = 0; i < result.issues; i++) {
      const target = result.startMs + (result.firstIssue + i - 1 + result.horizonBins) * result.binMs;
      const y = result.actual[i];
      const p = f.p50[i];
      if (target < from || target >= to || y !== y || p !== p) continue;
      abs += Math.abs(y - p);
      n++;
    }
    return { mae: abs / n, n };
  });
}

const which = process.argv[2] ?? 'spring';
const models = (process.argv[3] ?? 'seasonal-naive-weekly,scryer,auto').split(',');
// Default 2: the change on source day 50 (Sunday 1995-08-20), two weeks clear of the day
// after the Hurricane Erin shutdown (Monday 1995-08-07), whose errors dwarf every other
// day's and swing with which candidate each run's walk-forward happens to pick.
const later = Number(process.argv[4] ?? 2) * 7 * DAY;
const { change } = CASES[which];
const start = CASES[which].start - later;
const series = relocated(start);
const warmupMs = 28 * DAY;
const windows = [
  ['week before the change', change - 7 * DAY, change],
  ['week 1 after', change, change + 7 * DAY],
  ['week 2 after', change + 7 * DAY, change + 14 * DAY],
  ['weeks 3–4 after', change + 14 * DAY, change + 28 * DAY],
].filter(([, from]) => from < series.startMs + series.values.length * BIN);
const run = (timeZone) => backtest({ series, horizonMs: HORIZON, warmupMs, models, ...(timeZone ? { timeZone } : {}) });
const t0 = Date.now();
const utc = run();
const zoned = run(ZONE);
console.log(`NASA 1995 on Berlin's wall clock from ${new Date(start).toISOString().slice(0, 10)}, ${which} change at ${new Date(change).toISOString()}; 10-min bins, ${HORIZON / 60_000}-min horizon, 28-day warm-up (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
console.log('| model | pattern | ' + windows.map((w) => w[0]).join(' | ') + ' | all scored |');
console.log('|---|---|' + windows.map(() => '---:|').join('') + '---:|');
for (const m of models) {
  for (const [label, r] of [['UTC weeks', utc], [ZONE, zoned]]) {
    const cells = maeBy(r, m, windows.map(([, a, b]) => [a, b]));
    const all = r.summary.find((s) => s.model === m);
    console.log(`| ${m} | ${label} | ${cells.map((c) => `${c.mae.toFixed(1)} (${c.n})`).join(' | ')} | ${all.mae.toFixed(1)} (${all.rows} rows) |`);
  }
}
