/**
 * `prescale forecast`: the forecast after the end of a trace (or after `--at`), each
 * bin up to the horizon, with the model, its parameters, the history state and the
 * quantiles.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import { describeHistory, forecast, formatIsoWithOffset, MODEL_CHOICES, type ModelChoice, parseDuration, parseIsoWithOffset } from '@prescale/core';
import { laterDefault } from '../help.js';
import { UsageError } from '../usageError.js';
import { readTrace, timeZoneFlag } from './forecastInput.js';

export function forecastCommand() {
  return new Command('forecast')
    .description('forecast the bins after the end of a t_start_iso,requests trace (or after --at)')
    .requiredOption('--input <file>', 'count trace CSV (t_start_iso,requests; .gz allowed)')
    .option('--bin <duration>', 'bin width to forecast at (a multiple of the trace bin)', '10m')
    .addOption(new Option('--model <name>', 'forecasting model').choices(MODEL_CHOICES).default('auto'))
    .addOption(laterDefault(new Option('--at <iso>', 'issue time (ISO-8601 with offset); only bins ending by then are used'), 'the end of the trace'))
    .option('--horizon <duration>', 'forecast every bin up to this far ahead', '30m')
    .option('--time-zone <iana>', 'IANA time zone whose wall clock the demand follows (e.g. Europe/Berlin): weeks and days are read there, daylight saving included; times are still written in the trace\u2019s offset')
    .option('--json <file>', 'also write the result as JSON')
    .action(async (options) => {
      const binMs = parseDuration(options.bin, '--bin');
      const series = readTrace(options.input, binMs);
      let atMs: number | undefined;
      if (options.at !== undefined) {
        const at = parseIsoWithOffset(options.at);
        if (at === null) throw new UsageError('--at', `"${options.at}" is not an ISO-8601 time with an offset, such as 1995-07-20T08:00:00-04:00`);
        atMs = at.ms;
      }
      const result = forecast({
        series,
        model: options.model as ModelChoice,
        horizonMs: parseDuration(options.horizon, '--horizon'),
        ...(atMs !== undefined ? { atMs } : {}),
        ...timeZoneFlag(options.timeZone),
      });
      const iso = (ms: number): string => formatIsoWithOffset(ms, series.utcOffsetMinutes);
      const q = `p${Math.round(result.quantile * 100)}`;
      console.log(`issued ${iso(result.issuedMs)}, model ${result.model}, history ${describeHistory(result.history)}`);
      if (result.status === 'NotEnoughHistory') console.log(`no forecast: ${describeHistory({ state: 'NotEnoughHistory', haveMs: result.haveMs, needMs: result.needMs })}`);
      else if (result.status === 'NoForecast') console.log(`no forecast: ${result.message}`);
      else {
        console.log(`target_iso,horizon_min,model,parameters,p50,${q},recent_error,samples`);
        for (const p of result.points) {
          console.log(`${iso(p.targetMs)},${p.horizonMs / 60_000},${p.model},${p.parameters},${p.p50.toFixed(1)},${p.upper.toFixed(1)},${p.recentError.toFixed(3)},${p.samples}`);
        }
      }
      if (options.json) await writeFile(options.json, `${JSON.stringify(result, null, 2)}\n`);
    });
}
