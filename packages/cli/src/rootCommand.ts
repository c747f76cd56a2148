/**
 * The `prescale` root command before its subcommands are added: name, description,
 * version and the exit codes under its help. The whole {@link program} and the
 * simulator's own (simulatorProgram.ts) start from it, so both answer alike.
 */
import { Command } from '@commander-js/extra-typings';
import { EXIT_CODES_HELP } from './exitCode.js';
import { cliVersion } from './version.js';

export function rootCommand(): Command {
  return new Command('prescale')
    .description('Predictive and reactive autoscaling for LLM inference: algorithms, conformance, forecasts and simulations')
    .version(cliVersion(), '-V, --version', 'print the version of @prescale/cli')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
}
