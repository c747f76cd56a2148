/**
 * The default on-demand price per GPU-hour of each built-in GPU, with where it comes
 * from (reference optimizer.md §4 "Prices used" and §6). Prices change and differ by
 * cloud, region and commitment, so they are defaults, never constants: `--gpu-cost
 * NAME=USD,…` (and a profile's `cost`) override them.
 *
 * Four of the five are Mélange's published prices (Griggs et al., arXiv 2404.14527,
 * Tab. 1, February 2024), so a result here can be set beside the paper's; the V100,
 * which Mélange does not use, is AWS's.
 * @module
 */
import { SimulatorError, unknownName } from '../errors.js';
import { builtInGpuName, GPU_NAMES } from './gpuProfile.js';

export interface GpuPrice {
  /** US dollars per GPU-hour, on demand. */
  usdPerHour: number;
  /** The instance the price is for. */
  instance: string;
  /** Where the figure comes from, its region and date. */
  source: string;
}

export const GPU_PRICES: Readonly<Record<string, GpuPrice>> = {
  V100: {
    usdPerHour: 3.06,
    instance: 'AWS p3.2xlarge (1× V100 16 GB)',
    source:
      'AWS on-demand, us-east-1, as public price catalogues list it (reference optimizer.md §6; not checked against AWS, undated). ' +
      'The simulated V100 has 32 GB: AWS sells that card only in 8-GPU p3dn instances, so this understates its price',
  },
  A10G: {
    usdPerHour: 1.01,
    instance: 'AWS g5.xlarge (1× A10G)',
    source: 'Mélange Tab. 1 (Feb 2024); AWS us-east-1 lists $1.006 in June 2026 (reference optimizer.md §6)',
  },
  L4: {
    usdPerHour: 0.7,
    instance: 'GCP g2-standard-4 (1× L4)',
    source: 'Mélange Tab. 1 (Feb 2024); AWS g6.xlarge is $0.8048 in us-east-1 (2026-09-26, unverified; reference optimizer.md §6)',
  },
  'A100-80GB': {
    usdPerHour: 3.67,
    instance: 'Azure NC24ads_A100_v4 (1× A100 80 GB)',
    source: 'Mélange Tab. 1 (Feb 2024); Lambda lists $2.79 per A100-80GB SXM GPU-hour (2026-09-20; reference optimizer.md §6)',
  },
  H100: {
    usdPerHour: 7.516,
    instance: 'H100 80 GB SXM, normalised from RunPod',
    source:
      "Mélange Tab. 1: RunPod's H100/A100 price ratio (4.69 / 2.29, accessed 2024-02-24) times Azure's A100 price, since no major cloud " +
      'sold H100 on demand then; Lambda lists $3.99 per GPU-hour in an 8× H100 SXM instance (2026-09-20; reference optimizer.md §6)',
  },
};

/**
 * Parses `NAME=USD_PER_HOUR,…` (`--gpu-cost`). Names are the built-in GPUs (any
 * spelling {@link builtInGpuName} takes) or one of `extraNames` (custom profiles);
 * prices must be finite and positive. Returns a map from the canonical name to the price.
 */
export function parseGpuCosts(text: string, field = '--gpu-cost', extraNames: readonly string[] = []): Record<string, number> {
  const costs: Record<string, number> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new SimulatorError('InvalidConfig', field, item, 'must be NAME=USD_PER_HOUR (e.g. L4=0.70,H100=4.29)');
    const rawName = item.slice(0, eq).trim();
    const name = builtInGpuName(rawName) ?? extraNames.find((n) => n === rawName);
    if (name === undefined) throw unknownName(field, rawName, [...GPU_NAMES, ...extraNames]);
    const usd = Number(item.slice(eq + 1).trim());
    if (!Number.isFinite(usd) || usd <= 0) {
      throw new SimulatorError('InvalidConfig', `${field} ${name}`, item.slice(eq + 1).trim(), 'must be a positive number of US dollars per GPU-hour');
    }
    costs[name] = usd;
  }
  return costs;
}

/** The price of `gpu` per hour: the override if there is one, else the default; null for a custom GPU without one. */
export function gpuCostPerHour(gpu: string, overrides: Readonly<Record<string, number>> = {}): number | null {
  const name = builtInGpuName(gpu) ?? gpu;
  return overrides[name] ?? GPU_PRICES[name]?.usdPerHour ?? null;
}
