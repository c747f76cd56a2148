/**
 * `prescale` with only the commands that need nothing but the simulator: `simulate` and
 * `profile`. The binary loads this instead of the whole {@link program} for them,
 * because the whole program also imports the Kubernetes client, whose loading alone
 * takes longer than simulating a day of traffic (docs/benchmarks.md, "Simulate speed").
 */
import { Command } from '@commander-js/extra-typings';
import { profileCommand } from './commands/profile.js';
import { simulateCommand } from './commands/simulate.js';

export function simulatorProgram(): Command {
  return new Command('prescale').showHelpAfterError().addCommand(simulateCommand()).addCommand(profileCommand());
}
