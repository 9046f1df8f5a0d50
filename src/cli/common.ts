import { accessSync, constants, fstatSync, statSync, type Stats } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, OutputError, UsageError } from '../errors.js';
import { OutputSink } from '../output/sink.js';
import { FEATURES_PER_WINDOW } from '../afterimage/afterimage.js';
import { MAX_FEATURES } from '../kitnet/kitnet.js';

/** What every command needs from the terminal it runs in. */
export interface CliContext {
  /** Exit status the command asks for (0 ok, 1 alerts with --fail-on-alert; errors are thrown). */
  exitCode: number;
  /** Set when SIGINT or SIGTERM stopped the run: 130 or 143 (128 + signal number). */
  signalExitCode: number;
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
}

/** A warning on stderr, one line: the run goes on (and may still end with status 0). */
export function warn(message: string | undefined): void {
  if (message !== undefined) process.stderr.write(`kitsune: warning: ${message}\n`);
}

/** Standard input or output on the command line. */
const STDIO = '-';
const STDIN_FD = 0;

/**
 * Input list of a command: no inputs and a piped standard input means `-`. Every named input must be
 * a readable file before the first is read, so that a typo in the last of several inputs does not
 * surface after the others were processed.
 */
export function resolveInputs(inputs: readonly string[], context: CliContext): string[] {
  if (inputs.length === 0 && context.stdinIsTTY) {
    throw new UsageError('no input: name a capture file, or pipe one in (use - for standard input)');
  }
  const files = inputs.length > 0 ? [...inputs] : [STDIO];
  for (const file of files) if (file !== STDIO) checkReadable(file);
  return files;
}

function checkReadable(file: string): void {
  try {
    accessSync(file, constants.R_OK);
    if (statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    throw new InputError(file, 0, 0, `cannot read input: ${(error as Error).message}`);
  }
}

/**
 * Refuses an output path that names one of the inputs (the same file, by device and inode): opening
 * it for writing would empty the input before it is read.
 */
export function refuseOverwritingInput(output: string | undefined, inputs: readonly (string | undefined)[]): void {
  if (output === undefined || output === STDIO) return;
  const refuse = (input: string): never => {
    const alias = input === output ? '' : ` (${input === STDIO ? 'standard input' : input})`;
    throw new UsageError(`${output} is also an input${alias}: writing it would destroy it; name another output`);
  };
  // The same path (a file not made yet, such as --save-model and -o both naming it).
  for (const input of inputs) if (input !== undefined && input !== STDIO && resolve(input) === resolve(output)) refuse(input);
  const target = statSync(output, { throwIfNoEntry: false });
  if (!target?.isFile()) return;
  for (const input of inputs) {
    if (input === undefined) continue;
    // `-`: the file standard input was redirected from, if it is one (`< capture.pcap`).
    const source = input === STDIO ? stdinStat() : statSync(input, { throwIfNoEntry: false });
    if (source && source.dev === target.dev && source.ino === target.ino) refuse(input);
  }
}

/** What standard input is, when it can be told (closed or unusual descriptors: nothing). */
function stdinStat(): Stats | undefined {
  try {
    return fstatSync(STDIN_FD);
  } catch {
    return undefined;
  }
}

/** The table output (a file, or standard output for undefined or `-`), checked against the inputs. */
export function openSink(output: string | undefined, inputs: readonly (string | undefined)[] = []): OutputSink {
  refuseOverwritingInput(output, inputs);
  return output === undefined || output === STDIO ? OutputSink.toStdout() : OutputSink.toFile(output);
}

/**
 * Writes a whole output (a plot, a report, a model) to a file or, for undefined or `-`, to standard
 * output. A write error becomes an OutputError naming the output; a reader that went away (EPIPE,
 * `| head`) is not one, unless the output is of no use cut short (`wholeOrError`: a model).
 */
export async function writeWholeOutput(output: string | undefined, text: string, options: { wholeOrError?: boolean } = {}): Promise<void> {
  if (output !== undefined && output !== STDIO) {
    try {
      await writeFile(output, text);
    } catch (error) {
      throw new OutputError(output, error);
    }
    return;
  }
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  try {
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (error) => {
        const closed = (error as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
        if (error && (!closed || options.wholeOrError)) reject(new OutputError('standard output', error));
        else resolve();
      });
    });
  } finally {
    process.stdout.off('error', ignore);
  }
}

const SIGNAL_EXIT_BASE = 128;
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

/**
 * Turns SIGINT/SIGTERM into an orderly stop: reading ends, what was scored is flushed (and the
 * model saved, when asked), then the command exits with 128 + the signal's number.
 * Returns a function that removes the handlers.
 */
export function stopOnSignals(controller: AbortController, context: CliContext): () => void {
  const handlers = Object.entries(SIGNAL_NUMBERS).map(([name, number]) => {
    const handler = () => {
      context.signalExitCode = SIGNAL_EXIT_BASE + number;
      controller.abort();
    };
    process.on(name, handler);
    return () => process.off(name, handler);
  });
  return () => handlers.forEach((remove) => remove());
}

/** Decimal digits only: Number() would also take '0x10', ' 5' and '1e3'. */
const DECIMAL_INTEGER = /^[0-9]+$/;
/** A decimal number (sign, digits, point, exponent): not hex, not padded, not 'Infinity'. */
const DECIMAL_NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

export function parseIntegerOption(name: string, min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!DECIMAL_INTEGER.test(text) || !Number.isSafeInteger(value) || value < min) {
      throw new UsageError(`${name} must be an integer >= ${min}, not '${text}'`);
    }
    return value;
  };
}

export function parseNumberOption(name: string, test: (v: number) => boolean, rule: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!DECIMAL_NUMBER.test(text) || !Number.isFinite(value) || !test(value)) {
      throw new UsageError(`${name} must be ${rule}, not '${text}'`);
    }
    return value;
  };
}

/** Most AfterImage windows: 20 features each, within what KitNET takes. */
const MAX_WINDOWS = Math.floor(MAX_FEATURES / FEATURES_PER_WINDOW);

/** `--lambdas 5,3,1,0.1,0.01`: the AfterImage decay windows, each a positive number. */
export function parseLambdas(text: string): number[] {
  const parse = parseNumberOption('--lambdas', (v) => v > 0, 'a comma-separated list of positive numbers');
  const values = text.split(',').map((part) => parse(part.trim()));
  if (values.length > MAX_WINDOWS) throw new UsageError(`--lambdas gives ${values.length} windows; at most ${MAX_WINDOWS} (${MAX_FEATURES} features)`);
  if (new Set(values).size !== values.length) throw new UsageError(`--lambdas has a repeated value: '${text}'`);
  return values;
}
