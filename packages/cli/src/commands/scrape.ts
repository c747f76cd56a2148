/**
 * `prescale scrape URL...`: scrapes pods' /metrics concurrently and prints what the
 * parser read, in the text format, or one line per pod for a chosen metric. The work is
 * `@prescale/prometheus`' `scrapePods` and `readPods`.
 */
import { writeFile } from 'node:fs/promises';
import { Command } from '@commander-js/extra-typings';
import { DEFAULT_SCRAPE_MAX_BODY_BYTES, formatExposition, formatValue, isPrometheusError, type MetricFamily, matchesLabels, parseMatchers, type PodScrape, readPods, SCRAPE_ACCEPT, scrapePods } from '@prescale/prometheus';
import { httpOptions, httpUrl, withHttpFlags } from '../prometheusFlags.js';
import { UsageError } from '../usageError.js';

/** The families and samples a `--metric`/`--match` filter keeps. */
export function filterFamilies(families: readonly MetricFamily[], metric: string | undefined, match: string | undefined): MetricFamily[] {
  const matchers = match !== undefined ? parseMatchers(match) : undefined;
  const out: MetricFamily[] = [];
  for (const f of families) {
    const whole = metric === undefined || f.name === metric;
    const samples = f.samples.filter((s) => (whole || s.name === metric) && matchesLabels(s.labels, matchers));
    if (samples.length > 0 || (whole && matchers === undefined && metric !== undefined)) out.push({ ...f, samples });
  }
  return out;
}

function describe(scrape: PodScrape): string {
  if (!scrape.ok) return `== ${scrape.url}  FAILED after ${scrape.durationMs} ms: ${scrape.error.message}`;
  const samples = scrape.families.reduce((n, f) => n + f.samples.length, 0);
  return `== ${scrape.url}  ok, ${scrape.families.length} families, ${samples} samples, ${scrape.durationMs} ms`;
}

export function scrapeCommand() {
  return withHttpFlags(
    new Command('scrape')
      .description("scrape pods' /metrics (Prometheus text or OpenMetrics) and print the parsed metrics")
      .argument('<urls...>', 'metrics URLs, e.g. http://10.0.0.7:8000/metrics')
      .option('--metric <name>', 'only this family or sample name')
      .option('--match <matchers>', 'only samples whose labels match, e.g. \'{model_name="llama"}\'')
      .option('--quantile <q>', 'with --metric naming a histogram: each pod\'s φ-quantile of its buckets since start, as histogram_quantile')
      .option('--text-format', 'ask for the text format instead of OpenMetrics')
      .option('--json <file>', 'also write every pod\'s result as JSON'),
    { timeout: '3s', maxBodyBytes: DEFAULT_SCRAPE_MAX_BODY_BYTES },
  ).action(async (urls, flags) => {
    for (const url of urls) httpUrl(url, 'urls');
    if (flags.match !== undefined) {
      try {
        parseMatchers(flags.match);
      } catch (cause) {
        throw isPrometheusError(cause) ? new UsageError('--match', cause.detail) : cause;
      }
    }
    let q: number | undefined;
    if (flags.quantile !== undefined) {
      if (flags.metric === undefined) throw new UsageError('--quantile', 'needs --metric naming a histogram');
      q = Number(flags.quantile);
      if (!(q >= 0 && q <= 1)) throw new UsageError('--quantile', `must be a number from 0 to 1 (got "${flags.quantile}")`);
    }
    const scrapes = await scrapePods(
      urls.map((url) => ({ pod: url, url })),
      { ...httpOptions(flags), accept: flags.textFormat ? 'text/plain;version=0.0.4' : SCRAPE_ACCEPT },
    );
    if (q !== undefined && flags.metric !== undefined) {
      const match = flags.match !== undefined ? { match: parseMatchers(flags.match) } : {};
      const { values } = readPods(undefined, scrapes, { q: { kind: 'quantile', metric: flags.metric, q, over: 'lifetime', ...match } });
      for (const v of values.q!) console.log(`${v.pod}  ${v.value === null ? `missing (${v.reason}${v.reason === 'ScrapeFailed' && v.error ? `: ${v.error.message}` : ''})` : formatValue(v.value)}`);
    } else {
      for (const scrape of scrapes) {
        console.log(describe(scrape));
        if (scrape.ok) process.stdout.write(formatExposition(filterFamilies(scrape.families, flags.metric, flags.match)));
      }
    }
    if (flags.json) {
      const json = scrapes.map((s) => (s.ok ? s : { ...s, error: { code: s.error.code, message: s.error.message, status: s.error.status, line: s.error.line } }));
      await writeFile(flags.json, `${JSON.stringify(json, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? formatValue(v) : v), 2)}\n`);
    }
    const failed = scrapes.filter((s) => !s.ok).length;
    if (failed > 0) {
      console.error(`${failed} of ${scrapes.length} pods failed`);
      process.exitCode = 1;
    }
  });
}
