import { readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputError, UsageError } from '../errors.js';
import { VERSION } from '../version.js';

/** Name of the document type, so that a random JSON file is not mistaken for a model. */
export const MODEL_FORMAT = 'kitsune-model';
/**
 * Version of the model document. A later kitsune reads every earlier version it knows; a document
 * from a later version than this one is refused with a message naming both versions.
 */
export const MODEL_VERSION = 1;

/** Kitsune's parameters, under Kitsune-py's names (camelCase). */
export interface KitsuneParams {
  lambdas: number[];
  maxAE: number;
  fmGrace: number;
  adGrace: number;
  learningRate: number;
  hiddenRatio: number;
}

/**
 * A saved detector: everything needed to continue scoring where it stopped. `featureMap` (KitNET's
 * clusters of 0-based feature indices, in ensemble order) sits at the top so that other tools can read it
 * without knowing the rest; `kitnet` holds the autoencoders, `afterImage` the statistics (optional:
 * with them a rotated capture continues warm), `threshold` the calibration and log-normal fit.
 */
export interface ModelDocument {
  format: typeof MODEL_FORMAT;
  version: number;
  createdBy: string;
  params: KitsuneParams;
  packets: number;
  featureMap: number[][] | null;
  kitnet: Record<string, unknown>;
  threshold: unknown;
  afterImage: unknown;
}

export function modelDocument(fields: Omit<ModelDocument, 'format' | 'version' | 'createdBy'>): ModelDocument {
  return { format: MODEL_FORMAT, version: MODEL_VERSION, createdBy: `kitsune ${VERSION}`, ...fields };
}

function temporaryPath(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/** The model file's text: one line of JSON. */
export function modelText(model: ModelDocument): string {
  return `${JSON.stringify(model)}\n`;
}

/**
 * Where writing `path` lands: through symbolic links (also a dangling one) to the file they name, so
 * that the link stays a link.
 */
function writeTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // Missing, or a link to a file not made yet.
  }
  try {
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    return path;
  }
}

/** A target that exists and is not a regular file (a FIFO, a device such as /dev/stdout): written through, not replaced. */
function isSpecial(target: string): boolean {
  const stat = statSync(target, { throwIfNoEntry: false });
  return stat !== undefined && !stat.isFile();
}

/**
 * Writes the model atomically (a temporary file renamed over the target), so a crash never leaves half a
 * model. Symbolic links are followed; a FIFO or a device is written to directly.
 */
export function saveModel(path: string, model: ModelDocument): void {
  const target = writeTarget(path);
  const text = modelText(model);
  if (isSpecial(target)) {
    try {
      writeFileSync(target, text);
    } catch (error) {
      throw new OutputError(`model ${path}`, error);
    }
    return;
  }
  const temporary = temporaryPath(target);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OutputError(`model ${path}`, error);
  }
}

/**
 * Fails at once, before any packet is read, when the model could not be saved there (a missing
 * directory, no permission): creates and removes the temporary file saveModel would write. A FIFO or
 * device is not probed (opening a FIFO would wait for its reader).
 */
export function checkModelWritable(path: string): void {
  const target = writeTarget(path);
  if (isSpecial(target)) return;
  const temporary = temporaryPath(target);
  try {
    writeFileSync(temporary, '');
  } catch (error) {
    throw new OutputError(`model ${path}`, error);
  }
  rmSync(temporary, { force: true });
}

/** Reads and checks a model file; a missing, corrupt, truncated or too-new file is refused with a clear message. */
export function loadModel(path: string): ModelDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read model ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`model ${path} is corrupt or truncated (not valid JSON: ${(error as Error).message})`);
  }
  if (!isRecord(document) || document.format !== MODEL_FORMAT) {
    throw new UsageError(`${path} is not a kitsune model (no "format": "${MODEL_FORMAT}")`);
  }
  const version = document.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new UsageError(`model ${path} is corrupt: bad "version"`);
  }
  if (version > MODEL_VERSION) {
    throw new UsageError(
      `model ${path} has format version ${version} (written by ${typeof document.createdBy === 'string' ? document.createdBy : 'an unknown program'}); ` +
        `this kitsune ${VERSION} reads model format versions up to ${MODEL_VERSION}: upgrade kitsune`,
    );
  }
  const params = document.params;
  if (!isRecord(params) || !Array.isArray(params.lambdas) || !isRecord(document.kitnet)) {
    throw new UsageError(`model ${path} is corrupt: missing "params" or "kitnet"`);
  }
  const bad = paramsFault(params, document.packets);
  if (bad !== undefined) throw new UsageError(`model ${path} is corrupt: ${bad}`);
  return document as unknown as ModelDocument;
}

/** What is wrong with a model's params and packet count, if anything (they are copied into the next model saved). */
function paramsFault(params: Record<string, unknown>, packets: unknown): string | undefined {
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (!(params.lambdas as unknown[]).every(positive)) return '"params.lambdas" must be positive numbers';
  for (const key of ['maxAE', 'fmGrace', 'adGrace'] as const) if (!count(params[key])) return `"params.${key}" must be a non-negative integer`;
  for (const key of ['learningRate', 'hiddenRatio'] as const) if (!positive(params[key])) return `"params.${key}" must be a positive number`;
  if (!count(packets)) return '"packets" must be a non-negative integer';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
