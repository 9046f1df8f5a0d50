import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour only on a terminal, and never with NO_COLOR set (https://no-color.org: any non-empty value)
 * or `--no-color`. chalk 5 does not read NO_COLOR itself, so the level is decided here.
 */
export function colorFor(stream: NodeJS.WriteStream, colorOption: boolean): ChalkInstance {
  const noColorEnv = (process.env.NO_COLOR ?? '') !== '';
  const enabled = colorOption && !noColorEnv && stream.isTTY === true;
  return new Chalk({ level: enabled ? 1 : 0 });
}

const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

/** 1234567 -> "1,234,567" (deterministic, locale-independent). */
export function groupDigits(value: number): string {
  return String(Math.round(value)).replace(THOUSANDS, ',');
}
