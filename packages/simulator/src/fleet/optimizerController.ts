/**
 * The `optimizer` scaler in the simulator (issue 19 item 4; docs/optimizer.md
 * "Simulating a fleet"): every loop period it measures the rate over the last
 * `windowSeconds` and the mix of lengths over the last `shapeWindowSeconds` (AIBrix's
 * load monitor uses one 240 s window for both; reference aibrix.md §5.2), and
 * `fleetStep` (core) solves the Mélange program for that mix at that rate (or the
 * highest of the stabilisation window). Until `holdSeconds` have passed it holds the
 * fleet it started with: a fleet sized for the load of the first cold start should not
 * shrink on the first minute's rate before the stabilisation window has seen more.
 * The schedule controller replays a precomputed per-type schedule (the fleet oracle).
 * @module
 */
import { demandFromRequests, type FleetDecision, type FleetScalerSettings, type FleetScalerState, fleetStep, initialFleetState, type MipSolver, type OptimizerConfig, type Scaler, type ScalerState } from '@prescale/core';
import type { FleetController } from './fleetSimulation.js';

export interface OptimizerControllerOptions {
  config: OptimizerConfig;
  settings: FleetScalerSettings;
  solver: MipSolver;
  /** The rate's window, s: the requests per second of the last this many seconds. */
  windowSeconds: number;
  /** The mix's window, s: the lengths of the requests of the last this many seconds (a longer window's mix is steadier). */
  shapeWindowSeconds: number;
  loopSeconds: number;
  /** Hold the starting fleet this long (at least a rate window): no scale-down before the stabilisation window has seen the load. */
  holdSeconds: number;
  /** Epoch ms of simulated time 0 (the scaler's clock). */
  startMs: number;
  /**
   * The predictive blend whose forecast raises the rate (`optimizer-predictive`): it is
   * stepped with the gateway's request rate at each decision, and the highest upper
   * quantile of the bins it forecasts over its lead time becomes `forecastRps`. Only its
   * forecast is used; its own replica count is not.
   */
  forecaster?: { scaler: Scaler; state: ScalerState };
  /** Called with every decision (for a trace of the run). */
  onDecision?: (t: number, d: FleetDecision) => void;
}

/** A controller that runs the optimizer over the recent window's requests. */
export function optimizerController(o: OptimizerControllerOptions): FleetController {
  // The window's arrivals as a queue over growable arrays: [head, tail).
  let times = new Float64Array(1024);
  let inputs = new Float64Array(1024);
  let outputs = new Float64Array(1024);
  let head = 0;
  let tail = 0;
  let state: FleetScalerState = initialFleetState();
  let blend = o.forecaster?.state ?? null;
  let lastDecision = 0;
  let arrivalsSince = 0;
  /** The blend's upper-quantile peak over its lead time, req/s, or null without a usable forecast. */
  const forecast = (t: number, active: number): number | null => {
    const f = o.forecaster;
    if (f === undefined || blend === null) return null;
    const requestRate = arrivalsSince / Math.max(1e-9, t - lastDecision);
    arrivalsSince = 0;
    lastDecision = t;
    try {
      const step = f.scaler.step(blend, { now: o.startMs + t * 1000, currentReplicas: active, pods: [], requestRate });
      blend = step.state;
      const d = step.decision;
      if (d.scaler !== 'blend' || d.detail.bins.length === 0) return null;
      return d.detail.bins.reduce((m, b) => Math.max(m, b.upper), 0);
    } catch {
      return null;
    }
  };
  const grid = { inputTicks: o.config.inputTicks, outputTicks: o.config.outputTicks };
  return {
    loopSeconds: o.loopSeconds,
    observe(t, input, output) {
      if (tail === times.length) {
        const live = tail - head;
        const size = live * 2 > times.length ? times.length * 2 : times.length;
        const grow = (a: Float64Array) => {
          const b = new Float64Array(size);
          b.set(a.subarray(head, tail));
          return b;
        };
        times = grow(times);
        inputs = grow(inputs);
        outputs = grow(outputs);
        tail = live;
        head = 0;
      }
      times[tail] = t;
      inputs[tail] = input;
      outputs[tail] = output;
      tail++;
      arrivalsSince++;
    },
    decide(t, current, ready) {
      const forecastRps = forecast(t, current.reduce((a, b) => a + b, 0));
      const keep = Math.max(o.windowSeconds, o.shapeWindowSeconds);
      while (head < tail && times[head]! <= t - keep) head++;
      if (t < o.holdSeconds) return current;
      let from = tail;
      while (from > head && times[from - 1]! > t - o.windowSeconds) from--;
      const demand = demandFromRequests(grid, { inputs: inputs.subarray(from, tail), outputs: outputs.subarray(from, tail) }, o.windowSeconds);
      const shape = demandFromRequests(grid, { inputs: inputs.subarray(head, tail), outputs: outputs.subarray(head, tail) }, Math.min(t, keep));
      const now: Record<string, number> = {};
      const readyNow: Record<string, number> = {};
      o.config.types.forEach((type, k) => {
        now[type.name] = current[k]!;
        readyNow[type.name] = ready[k]!;
      });
      const step = fleetStep(o.config, o.settings, state, { now: o.startMs + t * 1000, demand, shape, current: now, ready: readyNow, forecastRps }, o.solver);
      state = step.state;
      o.onDecision?.(t, step.decision);
      return o.config.types.map((type) => step.decision.replicas[type.name]!);
    },
  };
}

/** Replays per-type replicas per timeline window (the fleet oracle's `desired`). */
export function scheduleController(perType: ReadonlyArray<ArrayLike<number>>, windowSeconds: number, loopSeconds: number): FleetController {
  return {
    loopSeconds,
    decide(t) {
      return perType.map((s) => s[Math.min(Math.floor(t / windowSeconds), s.length - 1)]!);
    },
  };
}
