/**
 * Every command's help follows one set of rules (issue 17, item 10): defaults shown
 * one way, required flags marked, choices not repeated, no empty-list default, every
 * timeout a duration, and the commands in the README's order.
 */
import { readFileSync } from 'node:fs';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import { DEFAULT_QUERY_MAX_BODY_BYTES, DEFAULT_SCRAPE_MAX_BODY_BYTES } from '@prescale/prometheus';
import { describe, expect, it } from 'vitest';
import { program } from './program.js';

const root = program();
const commands: CommandUnknownOpts[] = [root, ...root.commands];

describe.each(commands.map((c) => [c.name(), c] as const))('prescale %s --help', (_, command) => {
  const help = command.createHelp();
  const text = command.helpInformation();

  it('shows defaults one way, "(… default: X)", never quoted, never an empty list, at most once per option', () => {
    expect(text).not.toMatch(/default: "|default: \[\]|\(default [^:]/);
    for (const option of command.options) {
      expect(option.description, option.flags).not.toMatch(/\bdefault\b/i);
      expect(help.optionDescription(option).match(/default:/g)?.length ?? 0, option.flags).toBeLessThanOrEqual(1);
    }
    for (const argument of command.registeredArguments) expect(argument.description, argument.name()).not.toMatch(/\bdefault\b/i);
  });

  it('marks required flags', () => {
    for (const option of command.options.filter((o) => o.mandatory)) expect(help.optionDescription(option), option.flags).toMatch(/\(required[;)]/);
  });

  it('names choices once: not in the placeholder, not in the description', () => {
    for (const option of command.options) {
      expect(option.flags, option.flags).not.toContain('|');
      if (option.argChoices) expect(option.description, option.flags).not.toContain(option.argChoices.join(', '));
    }
  });

  it('takes every timeout and every <duration> default as a duration', () => {
    for (const option of command.options) {
      if (option.long?.endsWith('timeout')) expect(option.flags, option.flags).toMatch(/<duration>$/);
      if (option.flags.endsWith('<duration>') && typeof option.defaultValue === 'string') expect(() => parseDuration(option.defaultValue as string, option.flags)).not.toThrow();
    }
  });
});

describe('prescale --help', () => {
  it('lists the commands in the order of the README’s table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `prescale ([a-z-]+)/gm)].map((m) => m[1]);
    expect(root.commands.map((c) => c.name())).toEqual(documented);
  });

  it('ends with the exit-code convention', () => {
    let shown = '';
    program().configureOutput({ writeOut: (text) => void (shown += text) }).outputHelp();
    expect(shown).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}the command ran and failed.*\n(.*\n)* {2}2 {2}usage or input error/);
  });

  it('shows each command its own --max-body-size default (pod pages for scrape, Prometheus answers for history and backtest)', () => {
    const shown = (name: string) => {
      const command = root.commands.find((c) => c.name() === name)!;
      return command.createHelp().optionDescription(command.options.find((o) => o.long === '--max-body-size')!);
    };
    expect(shown('scrape')).toContain(`(default: ${DEFAULT_SCRAPE_MAX_BODY_BYTES / 1024 ** 2}MiB)`);
    for (const name of ['history', 'backtest']) expect(shown(name)).toContain(`(default: ${DEFAULT_QUERY_MAX_BODY_BYTES / 1024 ** 2}MiB)`);
  });

  it('gives simulate’s warm-up default for --trace in the help, not only in a warning', () => {
    const simulate = root.commands.find((c) => c.name() === 'simulate')!;
    const warmup = simulate.options.find((o) => o.long === '--warmup')!;
    expect(simulate.createHelp().optionDescription(warmup)).toMatch(/default: 14d for the embedded workload; 0 for --trace/);
  });
});
