import { describe, expect, it } from 'vitest';
import { prepareComparison } from '../compare.js';
import { better, paretoFront, type TaskRunner } from './search.js';
import { tuneScalers } from './tune.js';
import { evaluateTask, tunePlan } from './tuneTask.js';
import { runTuneTask } from './tuneWorker.js';
import { workerConfig } from './tune.js';

const config = {
  workload: { pattern: 'quick_rising', durationSeconds: 4 * 3600, scaleRps: 3 },
  coldStartSeconds: 120,
  scalers: ['kpa'],
  maxReplicas: 12,
};

describe('prescale tune, the library part', () => {
  const prepared = prepareComparison(config);
  const plan = tunePlan(prepared, 0.4);
  const inProcess: TaskRunner = async (tasks) => tasks.map((t) => evaluateTask(prepared, plan, t));

  it('splits the span in time, the validation share last, in whole windows', () => {
    expect(plan.spanSeconds).toBe(4 * 3600);
    expect(plan.tuningSeconds).toBe(Math.floor((0.6 * 4 * 3600) / 60) * 60);
    expect(plan.tuningSeconds + plan.validationSeconds).toBe(plan.spanSeconds);
  });

  it('finds a configuration at least as cheap as the defaults that meets the target, deterministically, and measures it on the validation part', async () => {
    const settings = { scalers: ['kpa', 'apa'] as const, budget: 6, target: 0.95, seed: 3, run: inProcess };
    const a = await tuneScalers(prepared, plan, settings);
    const b = await tuneScalers(prepared, plan, { ...settings, run: async (tasks) => tasks.map((task) => runTuneTask({ config: workerConfig(prepared), validation: 0.4, task })) });
    expect(b).toEqual(a);
    for (const s of a.scalers) {
      expect(s.spent).toBeLessThanOrEqual(settings.budget + 1e-9);
      if (s.default.tuning.sloAttainment >= settings.target) expect(s.best).not.toBeNull();
      if (s.best !== null) {
        expect(s.best.tuning.sloAttainment).toBeGreaterThanOrEqual(settings.target);
        if (s.default.tuning.sloAttainment >= settings.target) expect(s.best.tuning.gpuHours).toBeLessThanOrEqual(s.default.tuning.gpuHours);
        expect(s.best.validation.gpuHours).toBeGreaterThan(0);
      }
      for (let i = 1; i < s.frontier.length; i++) {
        expect(s.frontier[i]!.tuning.gpuHours).toBeGreaterThanOrEqual(s.frontier[i - 1]!.tuning.gpuHours);
        expect(s.frontier[i]!.tuning.sloAttainment).toBeGreaterThan(s.frontier[i - 1]!.tuning.sloAttainment);
      }
    }
    expect(a.oracle.tuning.sloAttainment).toBeGreaterThan(0.9);
  }, 300_000);
});

describe('ranking', () => {
  it('prefers meeting the target, then fewer GPU-hours; below it, higher attainment', () => {
    expect(better({ gpuHours: 10, sloAttainment: 0.99 }, { gpuHours: 5, sloAttainment: 0.98 }, 0.99)).toBe(true);
    expect(better({ gpuHours: 5, sloAttainment: 0.995 }, { gpuHours: 6, sloAttainment: 0.999 }, 0.99)).toBe(true);
    expect(better({ gpuHours: 9, sloAttainment: 0.97 }, { gpuHours: 5, sloAttainment: 0.95 }, 0.99)).toBe(true);
  });

  it('keeps the Pareto front of GPU-hours against attainment', () => {
    const c = (gpuHours: number, sloAttainment: number) => ({ tuning: { gpuHours, sloAttainment } });
    expect(paretoFront([c(5, 0.9), c(4, 0.95), c(6, 0.99), c(7, 0.98)]).map((x) => x.tuning.gpuHours)).toEqual([4, 6]);
  });
});
