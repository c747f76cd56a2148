/**
 * `prescale history`: one PromQL series over a time range, written as the count-trace
 * CSV of shared/data (`t_start_iso,requests`, gaps as empty fields), so any history
 * can be replayed offline. The work is `@prescale/prometheus`' `loadHistory`.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import { formatCountTrace, formatIsoWithOffset, parseDuration } from '@prescale/core';
import { createPrometheusClient, DEFAULT_QUERY_MAX_BODY_BYTES, type LoadedHistory, loadHistory } from '@prescale/prometheus';
import { laterDefault, requireOptions } from '../help.js';
import { type HttpFlags, httpOptions, httpUrl, timeFlag, withHttpFlags } from '../prometheusFlags.js';
import { UsageError } from '../usageError.js';

/** `-04:00`, `+05:30`, `Z` or whole minutes, as minutes east of UTC. */
export function parseUtcOffset(text: string): number {
  if (text === 'Z' || text === 'UTC') return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  throw new UsageError('--utc-offset', `"${text}" must look like -04:00, +05:30, Z or a number of minutes`);
}

export interface HistoryFlags extends HttpFlags {
  prometheus?: string;
  query?: string;
  from?: string;
  to: string;
  utcOffset: string;
  stamp: string;
  allowWarnings?: true;
}

/**
 * Loads the history the flags describe, in bins of `stepMs`; progress goes to
 * `progress` (a TTY's stderr).
 */
export async function loadHistoryFromFlags(flags: HistoryFlags, stepMs: number, now: number, progress?: (line: string) => void): Promise<LoadedHistory> {
  const { prometheus, query, from } = flags;
  if (prometheus === undefined || query === undefined || from === undefined) throw new UsageError('--prometheus', '--prometheus, --query and --from are all needed to read history from Prometheus');
  const fromMs = timeFlag(from, '--from', now);
  const toMs = timeFlag(flags.to, '--to', now);
  const client = createPrometheusClient({ url: httpUrl(prometheus, '--prometheus'), ...httpOptions(flags) });
  const history = await loadHistory(client, {
    query,
    fromMs,
    toMs,
    stepMs,
    utcOffsetMinutes: parseUtcOffset(flags.utcOffset),
    stamp: flags.stamp === 'start' ? 'start' : 'end',
    ...(flags.allowWarnings ? { allowWarnings: true } : {}),
    ...(progress ? { onChunk: (done: number, total: number) => progress(`loading ${done}/${total} ranges`) } : {}),
  }).finally(() => client.close());
  progress?.('');
  return history;
}

/** The flags of a command that reads one series of history from Prometheus (`backtest` shares them). */
export function withHistoryFlags<A extends unknown[]>(command: Command<A>) {
  return withHttpFlags(
    command
      .option('--prometheus <url>', 'Prometheus (or Thanos, Mimir) base URL')
      .option('--query <promql>', 'PromQL giving one series, e.g. sum(increase(vllm:request_success_total[10m]))')
      .option('--from <time>', 'start: a duration back from now (28d) or an ISO-8601 time')
      .option('--to <time>', 'end: "now", a duration back from now or an ISO-8601 time', 'now')
      .option('--utc-offset <offset>', 'local time of the series: bins align to it and times are written in it', 'Z')
      .addOption(new Option('--stamp <side>', 'which end of its bin a value at time t stands for: increase(x[10m]) at t covers the 10 minutes before t').choices(['end', 'start']).default('end'))
      .option('--allow-warnings', 'accept answers with warnings (Thanos/Mimir: data may be partial)'),
    { timeout: '30s', maxBodyBytes: DEFAULT_QUERY_MAX_BODY_BYTES },
  );
}

/** Writes progress on one stderr line when stderr is a terminal; '' clears it. */
export function ttyProgress(): ((line: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (line) => process.stderr.write(`\r\x1b[K${line}`);
}

export function historyCommand() {
  const command = withHistoryFlags(new Command('history').description('load one series from Prometheus and write it as a t_start_iso,requests CSV (gaps as empty fields)'));
  requireOptions(command, '--prometheus', '--query', '--from');
  return command
    .option('--step <duration>', 'bin width', '10m')
    .addOption(laterDefault(new Option('--out <file>', 'CSV file to write'), 'standard output'))
    .option('--json <file>', 'also write a summary as JSON')
    .action(async (flags) => {
      const progress = ttyProgress();
      const history = await loadHistoryFromFlags(flags, parseDuration(flags.step, '--step'), Date.now(), progress);
      const { series } = history;
      const csv = formatCountTrace(series);
      if (flags.out) await writeFile(flags.out, csv);
      else process.stdout.write(csv);
      const first = formatIsoWithOffset(series.startMs, series.utcOffsetMinutes);
      const summary = {
        query: flags.query,
        prometheus: flags.prometheus,
        from: first,
        to: formatIsoWithOffset(series.startMs + series.values.length * series.binMs, series.utcOffsetMinutes),
        stepSeconds: series.binMs / 1000,
        bins: series.values.length,
        gaps: history.gaps,
        implausible: history.implausible,
        nonFinite: history.nonFinite,
        requests: history.chunks,
        labels: history.labels,
        warnings: history.warnings,
        ...(flags.out ? { out: flags.out } : {}),
      };
      if (flags.json) await writeFile(flags.json, `${JSON.stringify(summary, null, 2)}\n`);
      if (flags.out) {
        console.error(`wrote ${summary.bins} bins of ${flags.step} from ${summary.from} to ${summary.to} (${summary.gaps} gaps${summary.implausible > 0 ? `, ${summary.implausible} of them values that are not plausible demand` : ''}) in ${summary.requests} request(s) to ${flags.out}`);
      }
      for (const w of history.warnings) console.error(`warning: ${w}`);
    });
}
