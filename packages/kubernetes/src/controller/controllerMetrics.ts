/**
 * The operator's own metrics on prom-client (reference/ecosystem.md 3.3), in a
 * dedicated registry: decisions with their reason, desired and actual replicas, the
 * predicted and reactive replicas, the forecast and the observed demand, errors by
 * kind, scale patches by result, loop duration and lateness (how far after its due time
 * a loop started), and leadership. examples/operator/grafana-dashboard.json charts them.
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface LoopObserver {
  decision(namespace: string, name: string, strategy: string, reason: string, desired: number, actual: number): void;
  /**
   * A predictive scaler's loop: the predicted replicas and the forecast load, and, when
   * known, the reactive replicas (what the blend would set without the forecast) and the
   * request rate observed now (what the forecast is judged against).
   */
  prediction(namespace: string, name: string, predicted: number | null, forecast: number | null, reactive?: number | null, demand?: number | null): void;
  error(namespace: string, name: string, kind: string): void;
  scalePatch(result: 'success' | 'conflict' | 'error'): void;
  loop(durationSeconds: number, latenessSeconds: number): void;
  leader(leading: boolean): void;
  forget(namespace: string, name: string): void;
}

export class ControllerMetrics implements LoopObserver {
  readonly registry = new Registry();
  private readonly decisions: Counter<'namespace' | 'name' | 'strategy' | 'reason'>;
  private readonly desired: Gauge<'namespace' | 'name'>;
  private readonly actual: Gauge<'namespace' | 'name'>;
  private readonly predicted: Gauge<'namespace' | 'name'>;
  private readonly forecastValue: Gauge<'namespace' | 'name'>;
  private readonly reactive: Gauge<'namespace' | 'name'>;
  private readonly demand: Gauge<'namespace' | 'name'>;
  private readonly errors: Counter<'namespace' | 'name' | 'kind'>;
  private readonly patches: Counter<'result'>;
  private readonly duration: Histogram;
  private readonly lateness: Histogram;
  private readonly leading: Gauge;

  constructor() {
    const registers = [this.registry];
    this.decisions = new Counter({ name: 'prescale_decisions_total', help: 'Scaling decisions by the first reason code', labelNames: ['namespace', 'name', 'strategy', 'reason'], registers });
    this.desired = new Gauge({ name: 'prescale_desired_replicas', help: 'Replicas the last decision wanted', labelNames: ['namespace', 'name'], registers });
    this.actual = new Gauge({ name: 'prescale_actual_replicas', help: 'Replicas of the target at the last loop', labelNames: ['namespace', 'name'], registers });
    this.predicted = new Gauge({ name: 'prescale_predicted_replicas', help: 'Replicas the forecast asks for', labelNames: ['namespace', 'name'], registers });
    this.forecastValue = new Gauge({ name: 'prescale_forecast_load', help: 'Forecast load (quantile planned for) over the lead time', labelNames: ['namespace', 'name'], registers });
    this.reactive = new Gauge({ name: 'prescale_reactive_replicas', help: 'Replicas the reactive scaler alone asks for (predictive scalers)', labelNames: ['namespace', 'name'], registers });
    this.demand = new Gauge({ name: 'prescale_demand_rate', help: 'Request rate observed at the last loop, requests per second (predictive scalers)', labelNames: ['namespace', 'name'], registers });
    this.errors = new Counter({ name: 'prescale_errors_total', help: 'Loop errors by kind', labelNames: ['namespace', 'name', 'kind'], registers });
    this.patches = new Counter({ name: 'prescale_scale_patches_total', help: 'Patches of scale subresources by result', labelNames: ['result'], registers });
    this.duration = new Histogram({
      name: 'prescale_loop_duration_seconds',
      help: 'Time one PodAutoscaler loop took',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.lateness = new Histogram({
      name: 'prescale_loop_lateness_seconds',
      help: 'How long after its due time a loop started',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.leading = new Gauge({ name: 'prescale_leader', help: '1 while this instance is the leader', registers });
  }

  decision(namespace: string, name: string, strategy: string, reason: string, desired: number, actual: number): void {
    this.decisions.inc({ namespace, name, strategy, reason });
    this.desired.set({ namespace, name }, desired);
    this.actual.set({ namespace, name }, actual);
  }

  prediction(namespace: string, name: string, predicted: number | null, forecast: number | null, reactive: number | null = null, demand: number | null = null): void {
    if (predicted !== null) this.predicted.set({ namespace, name }, predicted);
    if (forecast !== null) this.forecastValue.set({ namespace, name }, forecast);
    if (reactive !== null) this.reactive.set({ namespace, name }, reactive);
    if (demand !== null && Number.isFinite(demand)) this.demand.set({ namespace, name }, demand);
  }

  error(namespace: string, name: string, kind: string): void {
    this.errors.inc({ namespace, name, kind });
  }

  scalePatch(result: 'success' | 'conflict' | 'error'): void {
    this.patches.inc({ result });
  }

  loop(durationSeconds: number, latenessSeconds: number): void {
    this.duration.observe(durationSeconds);
    this.lateness.observe(latenessSeconds);
  }

  leader(leading: boolean): void {
    this.leading.set(leading ? 1 : 0);
  }

  /** Drops the series of a deleted PodAutoscaler. */
  forget(namespace: string, name: string): void {
    for (const g of [this.desired, this.actual, this.predicted, this.forecastValue, this.reactive, this.demand]) g.remove({ namespace, name });
  }
}
