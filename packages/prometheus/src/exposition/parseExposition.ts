/**
 * Parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text
 * (prometheus.io/docs/instrumenting/exposition_formats; OpenMetrics.md of
 * github.com/OpenObservability/OpenMetrics): HELP, TYPE and UNIT lines; counters,
 * gauges, histograms, summaries and the OpenMetrics-only types; label value escapes
 * (`\\`, `\"`, `\n`); optional timestamps (milliseconds in the text format, seconds in
 * OpenMetrics); NaN and ±Inf; OpenMetrics exemplars are skipped. Every error names the
 * line. A body that stops early is an error, not a shorter page: the text format must
 * end with a line feed and OpenMetrics with `# EOF`.
 * @module
 */
import { PrometheusError } from '../errors.js';
import { parseGoFloat } from '../goFloat.js';
import type { ExpositionFormat, MetricFamily, MetricType, Sample } from './types.js';

export interface ParseExpositionOptions {
  /** Default `auto`: OpenMetrics when `contentType` says so or the text ends with `# EOF`. */
  format?: ExpositionFormat | 'auto';
  /** The response's Content-Type, for `auto`. */
  contentType?: string;
  /** Where the text came from (a URL), for errors. */
  source?: string;
}

const TEXT_TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

/** Sample-name suffixes each family type allows (OpenMetrics.md "Metric types"). */
const SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created', ''],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['', '_sum', '_count', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
  untyped: [''],
};

/** Which format `text` is in, from the Content-Type or its last line. */
export function detectFormat(text: string, contentType?: string): ExpositionFormat {
  if (contentType !== undefined && /application\/openmetrics-text/i.test(contentType)) return 'openmetrics';
  return /(^|\n)# EOF\n?$/.test(text.slice(-8)) ? 'openmetrics' : 'prometheus';
}

function belongs(family: MetricFamily, name: string, om: boolean): boolean {
  if (!name.startsWith(family.name)) return false;
  const suffix = name.slice(family.name.length);
  if (om && family.type === 'counter' && suffix === '') return false;
  return SUFFIXES[family.type].includes(suffix);
}

/** Per ASCII code: 1 may start a metric name (`[a-zA-Z_:]`), 2 may only follow (`[0-9]`). */
const NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) NAME[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 ? 1 : c >= 48 && c <= 57 ? 2 : 0;

function isNameStart(c: number): boolean {
  return NAME[c] === 1;
}

function isNameChar(c: number): boolean {
  return c < 128 && NAME[c] !== 0;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function unescapeHelp(text: string, om: boolean): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(.)/g, (all, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : om && c === '"' ? '"' : all));
}

/**
 * Parses one exposition page.
 * @throws PrometheusError `InvalidExposition` with the line: bad syntax, a bad value or
 *   timestamp, duplicate TYPE or series, a histogram bucket without a numeric `le`,
 *   OpenMetrics families that are interleaved or a missing `# EOF`, a text page that does
 *   not end with a line feed.
 */
export function parseExposition(text: string, options: ParseExpositionOptions = {}): MetricFamily[] {
  const format = options.format === undefined || options.format === 'auto' ? detectFormat(text, options.contentType) : options.format;
  const om = format === 'openmetrics';
  const types = om ? OM_TYPES : TEXT_TYPES;
  const families: MetricFamily[] = [];
  const byName = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  const lineLabels: string[] = [];
  let current: MetricFamily | null = null;
  let lineNo = 0;
  let eof = false;

  const fail = (message: string): never => {
    throw new PrometheusError('InvalidExposition', message, { line: lineNo, ...(options.source ? { url: options.source } : {}) });
  };

  const familyFor = (name: string, declare: boolean): MetricFamily => {
    let f = byName.get(name);
    if (f === undefined) {
      f = { name, type: om ? 'unknown' : 'untyped', samples: [] };
      families.push(f);
      byName.set(name, f);
    } else if (declare && f !== current && om) {
      fail(`metadata for ${name} after its family ended (OpenMetrics families must not be interleaved)`);
    } else if (declare && f.samples.length > 0 && om) {
      fail(`metadata for ${name} after its samples`);
    }
    current = f;
    return f;
  };

  const metadata = (line: string): void => {
    // "# HELP name text", "# TYPE name type", "# UNIT name unit", "# EOF"; other comments are ignored (text format).
    const m = /^#[ \t]+(HELP|TYPE|UNIT)[ \t]+([^ \t]+)(?:[ \t]+|$)(.*)$/.exec(line);
    if (m === null) {
      if (om) {
        if (line === '# EOF') eof = true;
        else fail(`"${line.slice(0, 60)}" is not a HELP, TYPE, UNIT or EOF line`);
      }
      return;
    }
    const [, kind, name, rest] = m as unknown as [string, string, string, string];
    if (!isNameStart(name.charCodeAt(0)) || ![...name].every((ch) => isNameChar(ch.charCodeAt(0)))) fail(`"${name}" is not a metric name`);
    const f = familyFor(name, true);
    if (kind === 'TYPE') {
      const type = rest.trim() as MetricType;
      if (!types.has(type)) fail(`"${type}" is not a ${om ? 'OpenMetrics' : 'text-format'} metric type`);
      if (f.type !== (om ? 'unknown' : 'untyped') || f.samples.length > 0) fail(`a second TYPE line for ${name}, or one after its samples`);
      f.type = type;
    } else if (kind === 'HELP') {
      if (f.help !== undefined) fail(`a second HELP line for ${name}`);
      f.help = unescapeHelp(om ? rest : rest.trimEnd(), om);
    } else {
      if (!om) fail('UNIT lines exist only in OpenMetrics');
      f.unit = rest;
    }
  };

  let start = 0;
  const end = text.length;
  while (start < end) {
    let stop = text.indexOf('\n', start);
    lineNo++;
    if (stop < 0) {
      if (!om) fail('the page does not end with a line feed: it was cut off');
      stop = end;
    }
    let first = start;
    let last = stop;
    start = stop + 1;
    if (eof) fail('text after # EOF');
    if (last > first && text.charCodeAt(last - 1) === 13) last--;
    if (!om) {
      while (first < last && isBlank(text.charCodeAt(first))) first++;
      if (first === last) continue;
    } else if (first === last) {
      fail('empty line (not allowed in OpenMetrics)');
    }
    if (text.charCodeAt(first) === 35 /* # */) metadata(text.slice(first, last));
    else sample(first, last);
  }
  if (om && !eof) {
    lineNo++;
    fail('no "# EOF" at the end: the page was cut off');
  }
  return families;

  /** Parses the sample line text[s, n). */
  function sample(s: number, n: number): void {
    let i = s;
    if (!isNameStart(text.charCodeAt(s))) fail(`"${text.slice(s, Math.min(n, s + 60))}" does not start with a metric name`);
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    const name = text.slice(s, i);
    const labels: Record<string, string> = {};
    let brace = i;
    if (!om) while (brace < n && isBlank(text.charCodeAt(brace))) brace++;
    if (brace < n && text.charCodeAt(brace) === 123 /* { */) {
      i = brace + 1;
      let count = 0;
      for (;;) {
        while (i < n && isBlank(text.charCodeAt(i))) i++;
        if (i >= n) fail(`unterminated label set in ${name}`);
        if (text.charCodeAt(i) === 125 /* } */) {
          i++;
          break;
        }
        const ls = i;
        if (!isNameStart(text.charCodeAt(i)) || text.charCodeAt(i) === 58) fail(`bad label name in ${name}`);
        while (i < n && isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 58) i++;
        const label = text.slice(ls, i);
        while (i < n && isBlank(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) !== 61 /* = */) fail(`expected = after label ${label} in ${name}`);
        i++;
        while (i < n && isBlank(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) !== 34 /* " */) fail(`expected a quoted value for label ${label} in ${name}`);
        i++;
        let value = '';
        let vs = i;
        for (;;) {
          if (i >= n) fail(`unterminated value of label ${label} in ${name}`);
          const c = text.charCodeAt(i);
          if (c === 34) break;
          if (c === 92 /* \ */) {
            value += text.slice(vs, i);
            const e = text.charCodeAt(i + 1);
            if (e === 110) value += '\n';
            else if (e === 92) value += '\\';
            else if (e === 34) value += '"';
            else if (i + 1 < n) value += text.slice(i, i + 2);
            else fail(`unterminated value of label ${label} in ${name}`);
            i += 2;
            vs = i;
            continue;
          }
          i++;
        }
        value += text.slice(vs, i);
        i++;
        if (label === '__proto__') fail('label name __proto__ is not allowed');
        for (let q = 0; q < count; q++) if (lineLabels[q] === label) fail(`label ${label} repeats in ${name}`);
        lineLabels[count++] = label;
        labels[label] = value;
        while (i < n && isBlank(text.charCodeAt(i))) i++;
        const sep = text.charCodeAt(i);
        if (sep === 44 /* , */) i++;
        else if (sep !== 125) fail(`expected , or } after label ${label} in ${name}`);
      }
    }
    const seriesKey = text.slice(s, i);
    if (i >= n || !isBlank(text.charCodeAt(i))) fail(`expected a space and a value after ${seriesKey.slice(0, 80)}`);
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    let ts = i;
    while (ts < n && !isBlank(text.charCodeAt(ts))) ts++;
    const valueText = text.slice(i, ts);
    const value = parseGoFloat(valueText);
    if (value === undefined) fail(`"${valueText}" is not a number (value of ${seriesKey.slice(0, 80)})`);
    while (ts < n && isBlank(text.charCodeAt(ts))) ts++;
    let timestampMs: number | undefined;
    if (ts < n && text.charCodeAt(ts) !== 35) {
      let te = ts;
      while (te < n && !isBlank(text.charCodeAt(te))) te++;
      const t = text.slice(ts, te);
      const parsed = om ? parseGoFloat(t) : /^-?\d+$/.test(t) ? Number(t) : undefined;
      if (parsed === undefined || !Number.isFinite(parsed)) fail(`"${t}" is not a timestamp (${om ? 'seconds' : 'integer milliseconds'})`);
      timestampMs = om ? Math.round(parsed! * 1000) : parsed!;
      while (te < n && isBlank(text.charCodeAt(te))) te++;
      ts = te;
    }
    if (ts < n && !(om && text.charCodeAt(ts) === 35)) fail(`unexpected "${text.slice(ts, Math.min(n, ts + 40))}" after the value of ${seriesKey.slice(0, 80)}`);

    let f: MetricFamily | null = current;
    if (f === null || !belongs(f, name, om)) {
      f = null;
      for (const [suffix, type] of SUFFIX_OWNERS) {
        if (!name.endsWith(suffix)) continue;
        const candidate = byName.get(name.slice(0, name.length - suffix.length));
        if (candidate !== undefined && candidate.type === type) {
          f = candidate;
          break;
        }
      }
      if (f === null) {
        const same = byName.get(name);
        if (same !== undefined && !belongs(same, name, om)) {
          fail(`sample ${name} does not fit the ${same.type} family ${same.name}${om && same.type === 'counter' ? ' (OpenMetrics counter samples end in _total)' : ''}`);
        }
        f = same ?? null;
      }
      if (f !== null && om && f !== current) fail(`a sample of ${f.name} after its family ended (OpenMetrics families must not be interleaved)`);
      f ??= familyFor(name, false);
      current = f;
    }
    if (seen.has(seriesKey)) fail(`series ${seriesKey.slice(0, 80)} repeats`);
    seen.add(seriesKey);
    if ((f.type === 'histogram' || f.type === 'gaugehistogram') && name.endsWith('_bucket')) {
      const le = labels.le;
      if (le === undefined || parseGoFloat(le) === undefined) fail(`histogram bucket ${seriesKey.slice(0, 80)} has no numeric le label`);
    }
    const out: Sample = timestampMs === undefined ? { name, labels, value: value! } : { name, labels, value: value!, timestampMs };
    f.samples.push(out);
  }
}

/** Suffixes that only some types own, to find the family of a sample out of place. */
const SUFFIX_OWNERS: ReadonlyArray<[string, MetricType]> = [
  ['_total', 'counter'],
  ['_created', 'counter'],
  ['_bucket', 'histogram'],
  ['_sum', 'histogram'],
  ['_count', 'histogram'],
  ['_created', 'histogram'],
  ['_sum', 'summary'],
  ['_count', 'summary'],
  ['_created', 'summary'],
  ['_bucket', 'gaugehistogram'],
  ['_gsum', 'gaugehistogram'],
  ['_gcount', 'gaugehistogram'],
  ['_info', 'info'],
];
