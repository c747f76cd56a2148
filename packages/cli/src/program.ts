/** The `prescale` command: a thin layer that parses flags and calls the packages. */
import { Command } from '@commander-js/extra-typings';
import { conformanceCommand } from './commands/conformance.js';
import { exampleCommand } from './commands/example.js';
import { convertCommand } from './commands/convert.js';
import { operatorCommand } from './commands/operator.js';
import { backtestCommand } from './commands/backtest.js';
import { forecastCommand } from './commands/forecast.js';
import { historyCommand } from './commands/history.js';
import { scrapeCommand } from './commands/scrape.js';
import { optimizeCommand } from './commands/optimize.js';
import { profileCommand } from './commands/profile.js';
import { simulateCommand } from './commands/simulate.js';

export function program(): Command {
  return new Command('prescale')
    .description('Predictive and reactive autoscaling for LLM inference: algorithms, conformance, forecasts and simulations')
    .showHelpAfterError()
    .addCommand(conformanceCommand())
    .addCommand(exampleCommand())
    .addCommand(operatorCommand())
    .addCommand(convertCommand())
    .addCommand(forecastCommand())
    .addCommand(backtestCommand())
    .addCommand(historyCommand())
    .addCommand(scrapeCommand())
    .addCommand(simulateCommand())
    .addCommand(profileCommand())
    .addCommand(optimizeCommand());
}
