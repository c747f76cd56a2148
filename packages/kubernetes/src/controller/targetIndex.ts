/**
 * Which PodAutoscalers name which workload, kept current from the informer's events, for
 * the conflict rule: two PodAutoscalers on one target both get
 * `MultiPodAutoscalerConflict` and neither scales it.
 * @module
 */

export class TargetIndex {
  /** Target (`apiVersion.kind/namespace/name`) → the PodAutoscalers (`namespace/name`) naming it. */
  private readonly byTarget = new Map<string, Set<string>>();
  /** PodAutoscaler → its target. */
  private readonly targetOf = new Map<string, string>();

  /** Records the target that the PodAutoscaler `key` in `namespace` names in `spec` (none while it names none). */
  set(key: string, namespace: string, spec: unknown): void {
    const s = spec as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string }; subTargetSelector?: { roleName?: string } } | undefined;
    const ref = s?.scaleTargetRef;
    // AIBrix's key: a StormService role is a target of its own (`…/<name>/<roleName>`), so prefill and decode scale apart.
    const role = ref?.kind === 'StormService' && s?.subTargetSelector?.roleName ? `/${s.subTargetSelector.roleName}` : '';
    const target = ref?.kind && ref.name ? `${ref.apiVersion ?? 'apps/v1'}.${ref.kind}/${namespace}/${ref.name}${role}` : null;
    const previous = this.targetOf.get(key) ?? null;
    if (target === previous) return;
    this.remove(key);
    if (target === null) return;
    this.targetOf.set(key, target);
    let set = this.byTarget.get(target);
    if (!set) this.byTarget.set(target, (set = new Set()));
    set.add(key);
  }

  remove(key: string): void {
    const target = this.targetOf.get(key);
    if (target === undefined) return;
    this.targetOf.delete(key);
    this.byTarget.get(target)?.delete(key);
  }

  /** The other PodAutoscalers that name the target of `key`. */
  rivals(key: string): string[] {
    const target = this.targetOf.get(key);
    return [...(target === undefined ? [] : (this.byTarget.get(target) ?? []))].filter((k) => k !== key);
  }
}
