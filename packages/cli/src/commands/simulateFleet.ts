/**
 * `prescale simulate --fleet NAME,…`: the heterogeneous-fleet run (docs/optimizer.md
 * "Simulating a fleet"): loads HiGHS, reads or measures the types' throughput profiles,
 * runs the optimizer and the fleet oracle, prints the table and writes `--json`.
 */
import { writeFileSync } from 'node:fs';
import { createHighsSolver } from '@prescale/optimizer';
import { type FleetSimulateConfig, fleetComparisonJson, fleetTableText, runFleetComparison, type SimulateConfig } from '@prescale/simulator';
import { readProfile } from './optimize.js';
import { progressBar } from './progress.js';

export interface FleetFlags {
  fleet: string;
  profiles?: string;
  json?: string;
}

export async function simulateFleet(config: Partial<SimulateConfig>, flags: FleetFlags): Promise<void> {
  const fleet = flags.fleet.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const input: Partial<FleetSimulateConfig> & { fleet: string[] } = { ...config, fleet };
  // The single-type default scalers do not apply to a fleet: its own default is optimizer, optimizer-predictive and oracle.
  if (config.scalers === undefined) delete input.scalers;
  if (flags.profiles !== undefined) input.profiles = flags.profiles.split(',').map((f) => f.trim()).filter((f) => f !== '').map(readProfile);
  const solver = await createHighsSolver();
  const bar = progressBar();
  const started = performance.now();
  let c;
  try {
    c = runFleetComparison(input, solver, { onProgress: (label, fraction) => bar.update(label, fraction) });
  } finally {
    bar.stop();
  }
  const types = c.types.map((t) => `${t.name} $${t.costPerHour}/h`).join(', ');
  console.log(`${c.workload.name}: ${(c.workload.durationSeconds / 3600).toFixed(2)} h, mean ${c.workload.meanRps.toFixed(2)} req/s, fleet ${types}`);
  for (const w of c.warnings) console.log(`WARNING: ${w}`);
  console.log('');
  console.log(fleetTableText(c));
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(fleetComparisonJson(c), null, 2)}\n`);
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
