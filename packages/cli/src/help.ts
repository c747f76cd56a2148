/**
 * How every `prescale` command shows its help and reports a command-line mistake, set
 * once on the root and copied to each command (`addCommand` does not inherit settings):
 *
 * - an option's notes follow its description in one pair of parentheses, in one form:
 *   `(required)`, `(one of: end, start; default: end)`, `(default: 10m)`; a default
 *   the command applies itself (after a config file, say) is shown the same way
 *   ({@link laterDefault}); an empty list is not a default worth showing;
 * - mistakes print `prescale: …` (commander says `error: …`) with a pointer to the
 *   command's help, and are thrown as a `CommanderError` for the caller to turn into
 *   exit code 2 (see run.ts).
 * @module
 */
import { type Argument, type Command, type CommandUnknownOpts, type HelpConfiguration, type Option } from '@commander-js/extra-typings';

function withNotes(description: string, notes: string[]): string {
  return notes.length > 0 ? `${description} (${notes.join('; ')})` : description;
}

function shownDefault(item: { defaultValue?: unknown; defaultValueDescription?: string }): string | undefined {
  if (item.defaultValueDescription !== undefined) return item.defaultValueDescription;
  const value = item.defaultValue;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The one form of option and argument notes. */
export const HELP: HelpConfiguration = {
  optionDescription(option: Option): string {
    const notes: string[] = [];
    if (option.mandatory) notes.push('required');
    if (option.argChoices) notes.push(`one of: ${option.argChoices.join(', ')}`);
    // A flag without a value (--verbose, --no-report) has no default worth a note.
    const shown = option.required || option.optional || option.defaultValueDescription !== undefined ? shownDefault(option) : undefined;
    if (shown !== undefined) notes.push(`default: ${shown}`);
    return withNotes(option.description, notes);
  },
  argumentDescription(argument: Argument): string {
    const notes: string[] = [];
    if (argument.argChoices) notes.push(`one of: ${argument.argChoices.join(', ')}`);
    const shown = shownDefault(argument);
    if (shown !== undefined) notes.push(`default: ${shown}`);
    return withNotes(argument.description, notes);
  },
};

/**
 * Shows `shown` as the default of an option the parser leaves undefined, because the
 * command applies the default itself (a config file's value wins over it, or it
 * depends on other flags).
 */
export function laterDefault<O extends Option>(option: O, shown: string): O {
  option.defaultValueDescription = shown;
  return option;
}

/** Marks options of `command` required after the fact (shared flag sets that only some commands require). */
export function requireOptions(command: CommandUnknownOpts, ...longFlags: string[]): void {
  for (const flag of longFlags) {
    const option = command.options.find((o) => o.long === flag);
    if (!option) throw new Error(`${command.name()} has no option ${flag}`);
    option.makeOptionMandatory();
  }
}

/** Applies the help form and the error voice to `root` and every command under it. */
export function configureCommands<C extends Command>(root: C): C {
  root
    .configureHelp(HELP)
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'prescale: ')) })
    .exitOverride()
    .showHelpAfterError('(prescale --help lists the commands)');
  for (const command of root.commands) {
    command.copyInheritedSettings(root);
    command.showHelpAfterError(`(prescale ${command.name()} --help lists its options)`);
  }
  return root;
}
