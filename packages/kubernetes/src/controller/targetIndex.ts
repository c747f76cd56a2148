/**
 * Which PodAutoscalers name which workload, kept current from the informer's events, for
 * the conflict rule: two PodAutoscalers on one target both get
 * `MultiPodAutoscalerConflict` and neither scales it.
 * @module
 */

type Ref = { apiVersion?: string; kind?: string; name?: string } | undefined;

/** The workloads `spec` names: its `scaleTargetRef`, or an Optimizer's targets. */
function targetsOf(namespace: string, spec: unknown): string[] {
  const s = spec as { scaleTargetRef?: Ref; subTargetSelector?: { roleName?: string }; optimizer?: { targets?: Array<{ scaleTargetRef?: Ref }> } } | undefined;
  const key = (ref: Ref, role: string) => (ref?.kind && ref.name ? `${ref.apiVersion ?? 'apps/v1'}.${ref.kind}/${namespace}/${ref.name}${role}` : null);
  const out: string[] = [];
  const ref = s?.scaleTargetRef;
  // AIBrix's key: a StormService role is a target of its own (`…/<name>/<roleName>`), so prefill and decode scale apart.
  const role = ref?.kind === 'StormService' && s?.subTargetSelector?.roleName ? `/${s.subTargetSelector.roleName}` : '';
  const own = key(ref, role);
  if (own) out.push(own);
  for (const t of Array.isArray(s?.optimizer?.targets) ? s.optimizer.targets : []) {
    const k = key(t?.scaleTargetRef, '');
    if (k && !out.includes(k)) out.push(k);
  }
  return out;
}

export class TargetIndex {
  /** Target (`apiVersion.kind/namespace/name`) → the PodAutoscalers (`namespace/name`) naming it. */
  private readonly byTarget = new Map<string, Set<string>>();
  /** PodAutoscaler → its targets (one; an Optimizer's, one per GPU type). */
  private readonly targetsOf = new Map<string, string[]>();

  /** Records the targets that the PodAutoscaler `key` in `namespace` names in `spec` (none while it names none). */
  set(key: string, namespace: string, spec: unknown): void {
    const targets = targetsOf(namespace, spec);
    const previous = this.targetsOf.get(key) ?? [];
    if (targets.length === previous.length && targets.every((t, i) => t === previous[i])) return;
    this.remove(key);
    if (targets.length === 0) return;
    this.targetsOf.set(key, targets);
    for (const target of targets) {
      let set = this.byTarget.get(target);
      if (!set) this.byTarget.set(target, (set = new Set()));
      set.add(key);
    }
  }

  remove(key: string): void {
    const targets = this.targetsOf.get(key);
    if (targets === undefined) return;
    this.targetsOf.delete(key);
    for (const target of targets) this.byTarget.get(target)?.delete(key);
  }

  /** The other PodAutoscalers that name a target of `key`. */
  rivals(key: string): string[] {
    const out = new Set<string>();
    for (const target of this.targetsOf.get(key) ?? []) for (const k of this.byTarget.get(target) ?? []) if (k !== key) out.add(k);
    return [...out];
  }
}
