/**
 * Label matchers as PromQL writes them (`=`, `!=`, `=~`, `!~`; regular expressions
 * are anchored at both ends; prometheus.io/docs/prometheus/latest/querying/basics,
 * "Instant vector selectors"), to pick series out of a scraped page.
 * @module
 */
import { PrometheusError } from '../errors.js';
import type { Labels } from '../exposition/types.js';

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Equality on every key of a record, or a list of matchers. */
export type Matchers = Readonly<Record<string, string>> | readonly LabelMatcher[];

interface Compiled {
  name: string;
  test: (value: string) => boolean;
}

const cache = new WeakMap<object, Compiled[]>();

function compile(matchers: Matchers): Compiled[] {
  const hit = cache.get(matchers);
  if (hit) return hit;
  const list: readonly LabelMatcher[] = Array.isArray(matchers)
    ? (matchers as readonly LabelMatcher[])
    : Object.entries(matchers as Record<string, string>).map(([name, value]) => ({ name, op: '=' as const, value }));
  const compiled = list.map((m): Compiled => {
    switch (m.op) {
      case '=':
        return { name: m.name, test: (v) => v === m.value };
      case '!=':
        return { name: m.name, test: (v) => v !== m.value };
      case '=~':
      case '!~': {
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${m.value})$`, 'u');
        } catch (error) {
          throw new PrometheusError('InvalidArgument', `matcher ${m.name}${m.op}"${m.value}" is not a valid regular expression`, { cause: error });
        }
        return m.op === '=~' ? { name: m.name, test: (v) => re.test(v) } : { name: m.name, test: (v) => !re.test(v) };
      }
      default:
        throw new PrometheusError('InvalidArgument', `matcher operator ${String((m as LabelMatcher).op)} is not one of = != =~ !~`);
    }
  });
  cache.set(matchers, compiled);
  return compiled;
}

/** Whether `labels` satisfy every matcher; a missing label reads as "" as in PromQL. */
export function matchesLabels(labels: Labels, matchers: Matchers | undefined): boolean {
  if (matchers === undefined) return true;
  for (const m of compile(matchers)) if (!m.test(labels[m.name] ?? '')) return false;
  return true;
}

const MATCHER = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/**
 * Parses `model_name="llama", le!="+Inf"` (optionally inside braces).
 * @throws PrometheusError `InvalidArgument` naming what does not parse.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  let body = text.trim();
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  const out: LabelMatcher[] = [];
  MATCHER.lastIndex = 0;
  while (MATCHER.lastIndex < body.length) {
    const at = MATCHER.lastIndex;
    const m = MATCHER.exec(body);
    if (m === null) throw new PrometheusError('InvalidArgument', `cannot read label matchers at "${body.slice(at, at + 40)}": write name="value", name!="value", name=~"regex" or name!~"regex"`);
    const value = m[3]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1]!, op: m[2] as LabelMatcher['op'], value });
    if (m[4] === '') break;
  }
  compile(out); // reject bad regular expressions now
  return out;
}
