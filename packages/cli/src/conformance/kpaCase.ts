/** kind "kpa": Knative's decider, step by step (FORMAT.md). */
import { KPA_DEFAULTS } from '@prescale/core';
import { createKpaDecider, kpaDecide, type KpaDeciderSpec } from '@prescale/core/upstream';
import { compareKeys, type Mismatch } from './compare.js';
import { arr, at, type Json, num, obj, optNum } from './fields.js';

function deciderSpec(config: Json, base?: KpaDeciderSpec): KpaDeciderSpec {
  const targetValue = config.targetValue ?? base?.targetValue;
  const d = base ?? {
    targetValue: num(targetValue, 'config.targetValue'),
    totalValue: num(config.totalValue ?? targetValue, 'config.totalValue'),
    targetBurstCapacity: KPA_DEFAULTS.targetBurstCapacity,
    panicThreshold: KPA_DEFAULTS.panicThreshold,
    maxScaleUpRate: KPA_DEFAULTS.maxScaleUpRate,
    maxScaleDownRate: KPA_DEFAULTS.maxScaleDownRate,
    stableWindowSeconds: KPA_DEFAULTS.stableWindowSeconds,
    scaleDownDelaySeconds: KPA_DEFAULTS.scaleDownDelaySeconds,
    activationScale: KPA_DEFAULTS.activationScale,
    reachable: KPA_DEFAULTS.reachable,
  };
  const spec: KpaDeciderSpec = { ...d };
  for (const key of Object.keys(d) as Array<keyof KpaDeciderSpec>) {
    const v = config[key];
    if (v === undefined || v === null) continue;
    if (key === 'reachable') spec.reachable = Boolean(v);
    else spec[key] = num(v, `config.${key}`);
  }
  return spec;
}

export function runKpaCase(c: Json, t0: number): Mismatch[] {
  let spec = deciderSpec(obj(c.config, 'config'));
  const initialReady = num(c.initialReadyPods ?? 0, 'initialReadyPods');
  let state = createKpaDecider(spec, t0, initialReady);
  if (c.initialState != null) {
    const init = obj(c.initialState, 'initialState');
    const since = optNum(init.panicSince, 'initialState.panicSince');
    state = {
      ...state,
      ...(init.panicSince !== undefined ? { panicSince: since === null ? null : at(t0, since) } : {}),
      ...(init.maxPanicPods !== undefined ? { maxPanicPods: num(init.maxPanicPods, 'initialState.maxPanicPods') } : {}),
    };
  }
  let readyPods: number | null = initialReady;
  const mismatches: Mismatch[] = [];
  arr(c.steps, 'steps').forEach((raw, i) => {
    const step = obj(raw, `steps[${i}]`);
    if (step.configUpdate != null) spec = deciderSpec(obj(step.configUpdate, `steps[${i}].configUpdate`), spec);
    if (step.readyPods !== undefined) readyPods = optNum(step.readyPods, `steps[${i}].readyPods`);
    const decided = kpaDecide(spec, state, {
      now: at(t0, num(step.t, `steps[${i}].t`)),
      readyPods,
      stable: optNum(step.stable, `steps[${i}].stable`),
      panic: optNum(step.panic, `steps[${i}].panic`),
    });
    state = decided.state;
    const r = decided.result;
    // An invalid Knative result is the zero ScaleResult {0, 0, false}.
    const actual = {
      desiredReplicas: r.valid ? r.desiredPodCount : 0,
      excessBurstCapacity: r.valid ? r.excessBurstCapacity : 0,
      valid: r.valid,
      inPanic: state.panicSince !== null,
      panicSince: state.panicSince === null ? null : (state.panicSince - t0) / 1000,
    };
    mismatches.push(...compareKeys(`steps[${i}]`, obj(step.expect ?? {}, `steps[${i}].expect`), actual));
  });
  return mismatches;
}
