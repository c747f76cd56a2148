/**
 * Kubernetes label selectors in their string form (`app=vllm,tier!=cache,zone in (a,b),
 * !canary`), as the API server's `?labelSelector=` and a Scale's `status.selector` carry
 * them (k8s.io/apimachinery/pkg/labels/selector.go), and `matchLabels` to that form. The
 * pod cache selects a target's pods with it; the stand-in API server filters lists.
 * @module
 */
export type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

/** Parses a selector string; throws Error on a syntax it does not know. */
export function parseLabelSelector(selector: string): Requirement[] {
  const out: Requirement[] = [];
  // split on commas that are not inside parentheses
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      out.push({ key: m[1] ?? '', op: m[2] as 'in' | 'notin', values: (m[3] ?? '').split(',').map((v) => v.trim()) });
    } else if ((m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)$/.exec(p))) {
      out.push({ key: m[1] ?? '', op: m[2] === '!=' ? '!=' : '=', values: [m[3] ?? ''] });
    } else if ((m = /^!([^\s!=]+)$/.exec(p))) {
      out.push({ key: m[1] ?? '', op: '!exists', values: [] });
    } else if ((m = /^([^\s!=(),]+)$/.exec(p))) {
      out.push({ key: m[1] ?? '', op: 'exists', values: [] });
    } else throw new Error(`unable to parse requirement: "${p}"`);
  }
  return out;
}

export function matchesLabels(requirements: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v ?? '');
      case 'notin':
        return !has || !r.values.includes(v ?? '');
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}

/** `matchLabels` as a selector string, keys sorted (what a Scale's `status.selector` holds). */
export function selectorString(matchLabels: Readonly<Record<string, string>> | undefined): string {
  return Object.keys(matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${matchLabels?.[k] ?? ''}`)
    .join(',');
}
