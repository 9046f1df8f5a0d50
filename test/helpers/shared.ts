import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe } from 'vitest';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the repository: captures and what Kitsune-py computed on them. */
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const HAVE_SHARED = existsSync(path.join(SHARED, 'reference'));
/** Reference suites skip on a machine without ../shared, but are mandatory in CI (CI=true). */
export const describeShared = HAVE_SHARED || process.env.CI ? describe : describe.skip;

export const REFERENCE = path.join(SHARED, 'reference');
export const CAPTURES = path.join(SHARED, 'captures');

/** Reads a reference text file, gunzipping `.gz`. */
export function readReferenceText(file: string): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Lines of a reference TSV without the trailing empty line. */
export function readReferenceLines(file: string): string[] {
  const lines = readReferenceText(file).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
