/**
 * `prescale backtest`: walk-forward from the end of the warm-up to the end of a trace,
 * one forecast per bin per model, each from the data before its issue time; prints
 * MAE, MAE relative to persistence and to weekly seasonal naive over the same rows,
 * WMAPE, coverage and pinball loss of the upper quantile.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { Command, Option } from '@commander-js/extra-typings';
import { backtest, type BacktestResult, formatDuration, formatIsoWithOffset, MODEL_CHOICES, type ModelChoice, parseDuration } from '@prescale/core';
import { laterDefault } from '../help.js';
import { UsageError } from '../usageError.js';
import { progress, readTrace, timeZoneFlag } from './forecastInput.js';
import { loadHistoryFromFlags, ttyProgress, withHistoryFlags } from './history.js';

export function backtestCommand() {
  // Input: a trace file, or history from Prometheus (--prometheus, --query, --from; see `prescale history`).
  return withHistoryFlags(new Command('backtest'))
    .description('walk-forward backtest of the forecasting models on a t_start_iso,requests trace or on history from Prometheus')
    .option('--input <file>', 'count trace CSV (t_start_iso,requests; .gz allowed); this or --prometheus is required')
    .requiredOption('--horizon <duration>', 'how far ahead each forecast is (e.g. 10m, 30m)')
    .option('--bin <duration>', 'bin width (a multiple of the trace bin)', '10m')
    .addOption(laterDefault(new Option('--models <list>', `comma-separated, from ${MODEL_CHOICES.join(', ')}`), 'all of them'))
    .option('--warmup <duration>', 'history before the first forecast', '14d')
    .option('--out <file>', 'write every forecast as CSV: issued_iso,target_iso,model,actual,p50,p90')
    .option('--time-zone <iana>', 'IANA time zone whose wall clock the demand follows (e.g. Europe/Berlin): the models read weeks and days there, daylight saving included, and are scored on the same UTC bins')
    .option('--json <file>', 'write the summary as JSON')
    .action(async (options) => {
      const binMs = parseDuration(options.bin, '--bin');
      const models = (options.models ?? MODEL_CHOICES.join(',')).split(',').map((m) => m.trim()).filter((m) => m !== '');
      for (const m of models) if (!(MODEL_CHOICES as readonly string[]).includes(m)) throw new UsageError('--models', `"${m}" is not one of ${MODEL_CHOICES.join(', ')}`);
      if ((options.input === undefined) === (options.prometheus === undefined)) throw new UsageError('--input', 'give either --input FILE or --prometheus URL --query PROMQL --from TIME');
      const series = options.input !== undefined ? readTrace(options.input, binMs) : (await loadHistoryFromFlags(options, binMs, Date.now(), ttyProgress())).series;
      const result = backtest({
        series,
        horizonMs: parseDuration(options.horizon, '--horizon'),
        warmupMs: parseDuration(options.warmup, '--warmup'),
        models: models as ModelChoice[],
        ...timeZoneFlag(options.timeZone),
        ...withProgress(progress('backtest')),
      });
      // No table of zeros: an input too short for the flags is an input error (exit 2),
      // said about the trace as the user named it.
      const empty = noResult(result, series.values.length, options.warmup);
      if (empty !== null) throw new UsageError(options.input ?? '--from', empty);
      console.log(summaryTable(result));
      if (options.out) await writeRows(options.out, result);
      if (options.json) {
        await writeFile(options.json, `${JSON.stringify({ input: options.input ?? `${options.prometheus}: ${options.query}`, bin: options.bin, horizon: options.horizon, warmup: options.warmup, ...timeZoneFlag(options.timeZone), issues: result.issues, quantile: result.quantile, summary: result.summary }, null, 2)}\n`);
      }
    });
}

function withProgress(onProgress: ((done: number, total: number) => void) | undefined) {
  return onProgress ? { onProgress } : {};
}

/**
 * Why a backtest has nothing to report, or null when it has rows: the trace ends
 * before the first forecast's target (it is shorter than the warm-up plus the
 * horizon), or no row could be scored (every row needs persistence's and weekly
 * seasonal naive's forecasts, and the latter needs 7 days of history).
 */
export function noResult(r: BacktestResult, bins: number, warmup: string): string | null {
  const length = `the trace is ${formatDuration(bins * r.binMs)} long (${bins} bins of ${formatDuration(r.binMs)})`;
  const weekly = 'every row compares a model with persistence and weekly seasonal naive on the same target, and weekly seasonal naive needs 7 days of history';
  if (r.issues === 0) {
    const longest = Math.max(0, bins - r.horizonBins) * r.binMs;
    return (
      `nothing to backtest: ${length}, shorter than the --warmup of ${warmup} plus the ${formatDuration(r.horizonMs)} horizon, ` +
      'so the first forecast, issued at the end of the warm-up, would target a bin past the end of the trace. ' +
      (longest > 7 * 86_400_000 ? `Give a --warmup of at most ${formatDuration(longest)}.` : `A backtest needs a trace of more than 7 days: ${weekly}.`)
    );
  }
  if (r.summary.every((s) => s.rows === 0)) {
    return (
      `no forecast could be scored: ${length} with a --warmup of ${warmup}, and ${weekly} before it. ` +
      'Give a trace of more than 7 days and a --warmup of at least 7d.'
    );
  }
  return null;
}

const num = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** The per-model table printed by the command (markdown, so it can go straight into docs). */
export function summaryTable(r: BacktestResult): string {
  const q = `p${Math.round(r.quantile * 100)}`;
  const lines = [
    `| model | rows | MAE | MAE / persistence | MAE / seasonal-naive-weekly | WMAPE | ${q} coverage | ${q} pinball |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of r.summary) {
    lines.push(
      `| ${s.model} | ${s.rows} | ${num(s.mae, 1)} | ${num(s.maeVsPersistence, 3)} | ${num(s.maeVsSeasonalNaiveWeekly, 3)} | ${num(100 * s.wmape, 1)} % | ${num(100 * s.coverage, 1)} % | ${num(s.pinball, 1)} |`,
    );
  }
  const auto = r.summary.find((s) => s.weights);
  if (auto?.weights) {
    const parts = Object.entries(auto.weights).sort((a, b) => b[1] - a[1]).map(([m, w]) => `${m} ${num(100 * w, 1)} %`);
    lines.push('', `auto's mean weights: ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

async function writeRows(path: string, r: BacktestResult): Promise<void> {
  const out = createWriteStream(path);
  const iso = (bin: number): string => formatIsoWithOffset(r.startMs + bin * r.binMs, r.utcOffsetMinutes);
  const value = (x: number): string => (Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '');
  let chunk = 'issued_iso,target_iso,model,actual,p50,p90\n';
  for (let i = 0; i < r.issues; i++) {
    const issue = r.firstIssue + i;
    const prefix = `${iso(issue)},${iso(issue - 1 + r.horizonBins)},`;
    for (const f of r.forecasts) {
      if (!Number.isFinite(f.p50[i]!)) continue;
      chunk += `${prefix}${f.model},${value(r.actual[i]!)},${value(f.p50[i]!)},${value(f.upper[i]!)}\n`;
    }
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
