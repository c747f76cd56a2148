/**
 * Builders for Optimizer PodAutoscalers in tests (docs/operator.md "The Optimizer
 * strategy"): a two-type fleet's profiles (reference optimizer.md §3's worked example:
 * L4 and A100 on a 2 × 2 grid at Mélange's prices), the ConfigMap that holds them, the
 * spec, vLLM length histograms as a Prometheus answer, and a solver that needs no
 * WebAssembly: it answers with the program's own starting point (the greedy allocation,
 * feasible whenever the maxima cover the demand), as a solver stopped at its node limit
 * would. Tests that need the real solve use HiGHS from `@prescale/optimizer` (the CLI's).
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MipModel, MipSolution, MipSolver, ThroughputProfile } from '@prescale/core';
import type { SeriesSample } from '../controller/metricsPort.js';
import type { KubeObject } from './fakeApiServer.js';

const INDEXES: [number[], number[]] = [[64, 512], [256, 2048]];

/** Two GPU types' throughput profiles (req/s per replica; rows outputs 64, 512; columns inputs 256, 2048). */
export const TEST_PROFILES: ThroughputProfile[] = [
  { gpu: 'L4', cost: 0.7, indexes: INDEXES, tputs: [[3.0, 0.8], [0.6, 0.15]] },
  { gpu: 'A100', cost: 3.67, indexes: INDEXES, tputs: [[12, 5.0], [3.6, 1.6]] },
];

/** The PromQL an {@link optimizerTestSpec} names, so a FakeMetrics can answer them. */
export const DEMAND_QUERIES = {
  rate: 'sum(rate(vllm:request_success_total{model_name="llm"}[2m]))',
  prompt: 'sum by (le) (rate(vllm:request_prompt_tokens_bucket{model_name="llm"}[30m]))',
  generation: 'sum by (le) (rate(vllm:request_generation_tokens_bucket{model_name="llm"}[30m]))',
} as const;

export const DEMAND_ENDPOINT = 'http://prometheus.monitoring:9090';

/** A ConfigMap with one `<gpu>.json` key per profile. */
export function profilesConfigMap(name: string, profiles: readonly ThroughputProfile[] = TEST_PROFILES, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: Object.fromEntries(profiles.map((p) => [`${p.gpu}.json`, JSON.stringify(p)])) };
}

/** An Optimizer spec over Deployments `<prefix>-<gpu lowercased>`, one per profile, with the demand queries above. */
export function optimizerTestSpec(prefix: string, overrides: Record<string, unknown> = {}, bounds: Readonly<Record<string, { min?: number; max: number }>> = {}): Record<string, unknown> {
  return {
    scalingStrategy: 'Optimizer',
    optimizer: {
      targets: TEST_PROFILES.map((p) => ({
        gpu: p.gpu,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `${prefix}-${p.gpu.toLowerCase()}` },
        ...(bounds[p.gpu]?.min !== undefined ? { minReplicas: bounds[p.gpu]!.min } : {}),
        maxReplicas: bounds[p.gpu]?.max ?? 10,
      })),
      profiles: { configMapRef: { name: `${prefix}-profiles` } },
      demand: { endpoint: DEMAND_ENDPOINT, rateQuery: DEMAND_QUERIES.rate, promptTokensQuery: DEMAND_QUERIES.prompt, generationTokensQuery: DEMAND_QUERIES.generation },
      ...overrides,
    },
  };
}

/** A cumulative length histogram as `sum by (le)` answers it: `counts[k]` lengths in (les[k−1], les[k]], then `+Inf`. */
export function lengthHistogram(les: readonly number[], counts: readonly number[]): SeriesSample[] {
  let sum = 0;
  const out = les.map((le, k) => ({ labels: { le: String(le) }, value: (sum += counts[k] ?? 0) }));
  out.push({ labels: { le: '+Inf' }, value: sum + (counts[les.length] ?? 0) });
  return out;
}

/** A solver that answers with the model's starting point (the greedy allocation), as one stopped at its node limit; none without one. */
export const startPointSolver: MipSolver = {
  name: 'start point (test)',
  solve(model: MipModel): MipSolution {
    return { status: 'NodeLimit', solverStatus: 'node limit (test)', values: model.start ? [...model.start] : null, objective: null, bound: null, gap: null, nodes: 0, message: null };
  },
};

/** The answers of {@link demandPrometheus}: the request rate and two cumulative histograms, `[le, value]`. */
export const DEMAND_ANSWERS = {
  rps: 9,
  prompt: [['100', 10], ['300', 60], ['1000', 90], ['3000', 100], ['+Inf', 100]] as Array<[string, number]>,
  generation: [['50', 20], ['100', 60], ['300', 90], ['1000', 100], ['+Inf', 100]] as Array<[string, number]>,
};

/**
 * A stand-in Prometheus on loopback answering `/api/v1/query` for the {@link DEMAND_QUERIES}:
 * the length histograms by `le` and, for any other query, the request rate ({@link DEMAND_ANSWERS}).
 */
export async function demandPrometheus(): Promise<{ server: Server; url: string }> {
  const vector = (rows: Array<[Record<string, string>, number]>) => ({ status: 'success', data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [Date.now() / 1000, String(v)] })) } });
  const histogram = (rows: Array<[string, number]>) => vector(rows.map(([le, v]) => [{ le }, v]));
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query');
    const answer = query === DEMAND_QUERIES.prompt ? histogram(DEMAND_ANSWERS.prompt) : query === DEMAND_QUERIES.generation ? histogram(DEMAND_ANSWERS.generation) : vector([[{}, DEMAND_ANSWERS.rps]]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer));
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
