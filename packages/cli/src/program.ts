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
import { configureCommands } from './help.js';
import { rootCommand } from './rootCommand.js';
import { tuneCommand } from './commands/tune.js';

/** The whole command line; commands in the order of the README's table. */
export function program(): Command {
  return configureCommands(
    rootCommand()
      .addCommand(conformanceCommand())
      .addCommand(exampleCommand())
      .addCommand(simulateCommand())
      .addCommand(tuneCommand())
      .addCommand(profileCommand())
      .addCommand(optimizeCommand())
      .addCommand(forecastCommand())
      .addCommand(backtestCommand())
      .addCommand(historyCommand())
      .addCommand(scrapeCommand())
      .addCommand(operatorCommand())
      .addCommand(convertCommand()),
  );
}
