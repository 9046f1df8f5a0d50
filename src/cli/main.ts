import { Command, CommanderError } from 'commander';
import { InputError, OutputError, UsageError } from '../errors.js';
import type { CliContext } from './common.js';
import { registerDecode } from './decode.js';
import { registerExtract } from './extract.js';
import { registerScore } from './score.js';
import { registerTrain } from './train.js';
import { registerEval } from './eval.js';
import { registerPlot } from './plot.js';
import { VERSION } from '../version.js';

const EXIT_USAGE = 2;
const QUIET_COMMANDER_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * The `kitsune` command. Returns the exit status: 0 ok, 1 alerts with --fail-on-alert,
 * 2 bad input or usage, 130/143 after SIGINT/SIGTERM. Errors print as one line, never a stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const context: CliContext = {
    exitCode: 0,
    signalExitCode: 0,
    stdinIsTTY: process.stdin.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
  const program = new Command('kitsune')
    .description('Kitsune network intrusion detection: AfterImage features and a KitNET autoencoder ensemble, per packet')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`kitsune: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
    });
  registerDecode(program, context);
  registerExtract(program, context);
  registerScore(program, context);
  registerTrain(program, context);
  registerEval(program);
  registerPlot(program);
  try {
    await program.parseAsync(argv as string[]);
    return context.signalExitCode || context.exitCode;
  } catch (error) {
    return context.signalExitCode || report(error);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    return QUIET_COMMANDER_CODES.has(error.code) ? 0 : EXIT_USAGE;
  }
  if (error instanceof InputError || error instanceof UsageError || error instanceof OutputError) {
    process.stderr.write(`kitsune: ${printable(error.message)}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kitsune: internal error: ${printable(message.split('\n')[0])}\n`);
  if (process.env.KITSUNE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT_USAGE;
}

/** Control characters (C0, DEL, C1) of a message, which may quote input bytes, as \xNN: one line, no terminal escapes. */
function printable(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
