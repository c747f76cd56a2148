/**
 * `prescale` with only the commands that need nothing but the simulator: `simulate` and
 * `profile`. `runCli` (run.ts) builds this instead of the whole program for them,
 * because the whole program also imports the Kubernetes client, whose loading alone
 * takes longer than simulating a day of traffic (docs/benchmarks.md, "Simulate speed").
 */
import type { Command } from '@commander-js/extra-typings';
import { profileCommand } from './commands/profile.js';
import { simulateCommand } from './commands/simulate.js';
import { configureCommands } from './help.js';
import { rootCommand } from './rootCommand.js';

/** The commands {@link simulatorProgram} serves. */
export const SIMULATOR_COMMANDS: readonly string[] = ['simulate', 'profile'];

export function simulatorProgram(): Command {
  return configureCommands(rootCommand().addCommand(simulateCommand()).addCommand(profileCommand()));
}
