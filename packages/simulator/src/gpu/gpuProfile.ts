/**
 * Per-GPU replica profiles for a 7B model in FP16, tensor parallel 1, and the iteration
 * time formula (reference simulator.md §2.2–2.4):
 *
 * ```
 * T_iter = t_oh + max(W/(η_m·BW) + kv_b·C/(η_m·BW), 2P·N_new/(η_c·F) + 2·d_model·L·Σ n_i²/(η_c·F)) + d_seq·B
 * ```
 *
 * C = context tokens of the decoding sequences, N_new = new tokens this iteration (one
 * per decoding sequence plus the prefill chunks), n_i = prefill chunk lengths, B =
 * sequences in the batch. The model is deepseek-llm-7b-chat (AIBrix's experiment
 * model: 30 layers, hidden 4096, 32 KV heads, so 480 KiB of KV per token, 13.8 GB of
 * weights, 6.91 B parameters). Datasheet peaks and efficiencies are those of §2.3;
 * A100 and H100 are anchored on Vidur's profiles, V100 is roofline only (calibrate it).
 * A10G and L4 (the 24 GB cards of Mélange's fleet) take their datasheet figures from
 * reference optimizer.md §6 and the A100's efficiencies and overheads (an assumption:
 * no public per-op profile of either); calibrate them like the V100.
 * @module
 */
import { SimulatorError, unknownName } from '../errors.js';

export interface GpuProfile {
  /** Name shown in reports, e.g. `A100-80GB`. */
  name: string;
  model: string;
  /** t_oh: framework overhead per iteration, s. */
  overheadSeconds: number;
  /** W/(η_m·BW): reading the weights once, s. */
  weightReadSeconds: number;
  /** kv_b/(η_m·BW): reading one context token's KV, s. */
  kvReadSecondsPerToken: number;
  /** 2P/(η_c·F): the GEMMs for one new token, s. */
  computeSecondsPerToken: number;
  /** 2·d_model·L/(η_c·F): causal prefill attention per squared chunk token, s. */
  attentionSecondsPerToken2: number;
  /** d_seq: per sequence in the batch, s. */
  perSequenceSeconds: number;
  /** KV cache size in 16-token blocks (vLLM `num_gpu_blocks`). */
  kvBlocks: number;
  /** vLLM `max_num_seqs`. */
  maxNumSeqs: number;
  /** vLLM `max_num_batched_tokens` (the chunked-prefill token budget per iteration). */
  maxNumBatchedTokens: number;
  /** Longest prompt + output the model takes; longer requests are clipped. */
  maxModelLen: number;
  /** Weight bytes (for the weight-download phase of a cold start). */
  weightBytes: number;
}

export const BLOCK_SIZE = 16;

// deepseek-llm-7b-chat (reference §2.3)
const W = 13.8e9; // weight bytes
const P = 6.91e9; // parameters
const KV_B = 2 * 30 * 32 * 128 * 2; // 491,520 bytes of KV per token
const ATTN = 2 * 4096 * 30; // 2·d_model·L

function roofline(
  name: string,
  bw: number,
  flops: number,
  etaM: number,
  etaC: number,
  overheadSeconds: number,
  perSequenceSeconds: number,
  kvBlocks: number,
  maxNumSeqs: number,
  maxNumBatchedTokens: number,
): GpuProfile {
  return {
    name,
    model: 'deepseek-llm-7b-chat (FP16, TP=1)',
    overheadSeconds,
    weightReadSeconds: W / (etaM * bw),
    kvReadSecondsPerToken: KV_B / (etaM * bw),
    computeSecondsPerToken: (2 * P) / (etaC * flops),
    attentionSecondsPerToken2: ATTN / (etaC * flops),
    perSequenceSeconds,
    kvBlocks,
    maxNumSeqs,
    maxNumBatchedTokens,
    maxModelLen: 4096,
    weightBytes: W,
  };
}

/**
 * KV blocks of a 24 GB card (reference simulator.md §2.4): ⌊(0.9 · M − W − 1.5 GB) / (kv_b · 16)⌋
 * with M = 22.5 GiB usable, the driver's share of a 24 GB card as the V100-32GB's
 * 1,950 blocks imply 31.7 of 32 GiB (an assumption): 819 blocks, ≈ 13k tokens.
 */
const KV_BLOCKS_24GB = Math.floor((0.9 * 22.5 * 2 ** 30 - W - 1.5e9) / (KV_B * 16));

/**
 * The built-in profiles, in price order of Mélange's fleet (V100 first, AIBrix's
 * experiment GPU). Batch limits are vLLM's `get_batch_defaults` for the OpenAI
 * server: H100 (≥ 70 GiB, not A100) 8192 tokens / 1024 sequences, others 2048 / 256.
 */
export const GPU_PROFILES: Readonly<Record<string, GpuProfile>> = {
  // 0.90 TB/s, 125 TFLOPS; η_c 0.55 assumed (no FlashAttention on sm70); t_oh 5 ms; d_seq 50 µs; ≈31k KV tokens
  V100: roofline('V100', 0.9e12, 125e12, 0.69, 0.55, 0.005, 50e-6, 1950, 256, 2048),
  // 24 GB GDDR6, 600 GB/s (as the A10); tensor FP16 ≈ 70 TFLOPS, the figure usually quoted for the
  // A10G (the A10 has 125; not confirmed by a datasheet, reference optimizer.md §6); η, t_oh, d_seq as the A100 (assumed)
  A10G: roofline('A10G', 0.6e12, 70e12, 0.69, 0.65, 0.004, 20e-6, KV_BLOCKS_24GB, 256, 2048),
  // 24 GB GDDR6, 300 GB/s, 121 TFLOPS dense FP16 tensor (242 with sparsity; NVIDIA L4 datasheet,
  // reference optimizer.md §6); η, t_oh, d_seq as the A100 (assumed)
  L4: roofline('L4', 0.3e12, 121e12, 0.69, 0.65, 0.004, 20e-6, KV_BLOCKS_24GB, 256, 2048),
  // 2.039 TB/s, 312 TFLOPS; η 0.69 / 0.65 from Vidur's profile; t_oh 4 ms; d_seq 20 µs; ≈124k KV tokens
  'A100-80GB': roofline('A100-80GB', 2.039e12, 312e12, 0.69, 0.65, 0.004, 20e-6, 7750, 256, 2048),
  // 3.35 TB/s, 989 TFLOPS; η 0.69 / 0.64; t_oh 1.5 ms; d_seq 7 µs; ≈124k KV tokens
  H100: roofline('H100', 3.35e12, 989e12, 0.69, 0.64, 0.0015, 7e-6, 7750, 1024, 8192),
};

export const GPU_NAMES = Object.keys(GPU_PROFILES);

/** The built-in name a user's spelling means (case-insensitive; `A100` means `A100-80GB`), or undefined. */
export function builtInGpuName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return GPU_NAMES.find((n) => n.toLowerCase() === lower || n.toLowerCase().split('-')[0] === lower);
}

/** A built-in profile by name (any spelling {@link builtInGpuName} takes). */
export function gpuProfile(name: string): GpuProfile {
  const key = builtInGpuName(name);
  if (key === undefined) throw unknownName('--gpu', name, GPU_NAMES, ' (or a JSON profile file)');
  return GPU_PROFILES[key]!;
}

const NUMBER_FIELDS = [
  'overheadSeconds',
  'weightReadSeconds',
  'kvReadSecondsPerToken',
  'computeSecondsPerToken',
  'attentionSecondsPerToken2',
  'perSequenceSeconds',
  'kvBlocks',
  'maxNumSeqs',
  'maxNumBatchedTokens',
  'maxModelLen',
  'weightBytes',
] as const;

/**
 * A user profile from JSON: any built-in profile's fields, starting from `base` (a
 * built-in name, default `A100-80GB`). Every number must be finite and not negative;
 * block and batch limits must be positive integers.
 */
export function parseGpuProfile(json: unknown, source: string): GpuProfile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SimulatorError('InvalidConfig', source, json, 'a GPU profile must be a JSON object');
  }
  const input = json as Record<string, unknown>;
  const base = gpuProfile(typeof input.base === 'string' ? input.base : 'A100-80GB');
  const profile: GpuProfile = { ...base, name: typeof input.name === 'string' ? input.name : `${base.name} (custom)` };
  if (typeof input.model === 'string') profile.model = input.model;
  for (const field of NUMBER_FIELDS) {
    const v = input[field];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new SimulatorError('InvalidConfig', `${source} ${field}`, v, 'must be a finite, non-negative number');
    }
    if ((field === 'kvBlocks' || field === 'maxNumSeqs' || field === 'maxNumBatchedTokens' || field === 'maxModelLen') && (!Number.isInteger(v) || v < 1)) {
      throw new SimulatorError('InvalidConfig', `${source} ${field}`, v, 'must be a positive integer');
    }
    profile[field] = v;
  }
  for (const key of Object.keys(input)) {
    if (key !== 'base' && key !== 'name' && key !== 'model' && !(NUMBER_FIELDS as readonly string[]).includes(key)) {
      throw new SimulatorError('InvalidConfig', `${source} ${key}`, input[key], `is not a profile field; fields: ${NUMBER_FIELDS.join(', ')}`);
    }
  }
  return profile;
}

/**
 * One iteration's time, s.
 * @param decodeSeqs sequences decoding one token
 * @param contextTokens KV tokens of the decoding sequences
 * @param prefillSeqs sequences with a prefill chunk
 * @param prefillTokens tokens of all prefill chunks
 * @param prefillTokens2 sum of the squared chunk lengths
 */
export function iterationSeconds(
  g: GpuProfile,
  decodeSeqs: number,
  contextTokens: number,
  prefillSeqs: number,
  prefillTokens: number,
  prefillTokens2: number,
): number {
  const memory = g.weightReadSeconds + g.kvReadSecondsPerToken * contextTokens;
  const compute = g.computeSecondsPerToken * (decodeSeqs + prefillTokens) + g.attentionSecondsPerToken2 * prefillTokens2;
  return g.overheadSeconds + (memory > compute ? memory : compute) + g.perSequenceSeconds * (decodeSeqs + prefillSeqs);
}
