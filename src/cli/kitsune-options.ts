import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AfterImage, DEFAULT_LAMBDAS } from '../afterimage/afterimage.js';
import { Calibration } from '../detect/calibration.js';
import { Detector } from '../detect/detector.js';
import { KITSUNE_PY_BENIGN_END } from '../detect/log-normal.js';
import { loadModel, modelDocument, type KitsuneParams, type ModelDocument } from '../detect/model-file.js';
import { DEFAULT_ALERT_P, type AlertRule } from '../detect/threshold.js';
import { alertRuleOf, parseAlertP, parseThreshold } from './alert-options.js';
import { UsageError } from '../errors.js';
import { KITNET_DEFAULTS, KitNET } from '../kitnet/kitnet.js';
import { parseIntegerOption, parseLambdas, parseNumberOption } from './common.js';

/** Alerts suppressed at the start of a run whose model has no AfterImage state (cold statistics). */
export const COLD_START_WARMUP = 1000;

/** The options `score` and `train` share: Kitsune's parameters (Kitsune-py's names and example defaults). */
export interface KitsuneOptions {
  maxAe: number;
  fmGrace: number;
  adGrace: number;
  learningRate: number;
  hiddenRatio: number;
  lambdas?: number[];
  calibration?: number;
  alertP?: number;
  threshold?: number;
  featureMap?: string;
  evictBelow?: number;
  maxStreams?: number;
  model?: string;
  warmup?: number;
}

const positive = (name: string) => parseNumberOption(name, (v) => v > 0, 'a positive number');

export function addKitsuneOptions(command: Command): Command {
  command
    .option('--max-ae <m>', 'largest autoencoder of the ensemble layer (features per cluster)', parseIntegerOption('--max-ae', 1), KITNET_DEFAULTS.maxAE)
    .option('--fm-grace <n>', 'packets the feature mapper learns from', parseIntegerOption('--fm-grace', 0), KITNET_DEFAULTS.fmGrace)
    .option('--ad-grace <n>', 'packets the autoencoders train on after the map is built', parseIntegerOption('--ad-grace', 0), KITNET_DEFAULTS.adGrace)
    .option('--learning-rate <r>', "autoencoders' learning rate", positive('--learning-rate'), KITNET_DEFAULTS.learningRate)
    .option('--hidden-ratio <r>', 'hidden units per visible unit', parseNumberOption('--hidden-ratio', (v) => v > 0 && v <= 1, 'in (0, 1]'), KITNET_DEFAULTS.hiddenRatio)
    .option('--feature-map <file>', "use this feature map (Kitsune-py's featuremap.json or a model) instead of learning one")
    .option('--calibration <n>', 'executed packets the log-normal threshold is fitted on (default: up to packet 99,999 as in Kitsune-py, at least 1,000)', parseIntegerOption('--calibration', MIN_CALIBRATION))
    .option('--alert-p <p>', `alert when the log-normal probability of the score is below P (default ${DEFAULT_ALERT_P})`, parseAlertP)
    .option('--threshold <rmse>', 'alert when the score exceeds RMSE (instead of --alert-p)', parseThreshold);
  return addAfterImageOptions(command);
}

/** AfterImage's options, shared by `extract`, `score` and `train`. */
export function addAfterImageOptions(command: Command): Command {
  return command
    .option('--lambdas <list>', 'AfterImage decay windows λ (default 5,3,1,0.1,0.01); 20 features per window', parseLambdas)
    .option('--evict-below <w>', 'drop statistics whose weight decayed below W in every window (bounded memory, not faithful)', positive('--evict-below'))
    .option('--max-streams <n>', 'cap the AfterImage stream table (bounded memory, not faithful)', parseIntegerOption('--max-streams', 1));
}

/** Fewest scores a log-normal fit is made from: one score has no spread (sigma 0, see detection-check.ts). */
export const MIN_CALIBRATION = 2;
/**
 * Default calibration when the grace periods leave fewer packets than this before Kitsune-py's index
 * 99,999 (its example would fit on next to nothing): a fit on a thousand scores.
 */
export const MIN_DEFAULT_CALIBRATION = 1000;

/** Kitsune-py example.py fits packets fm+ad+1 .. 99,999: that many, but at least MIN_DEFAULT_CALIBRATION. */
export function defaultCalibration(fmGrace: number, adGrace: number): number {
  return Math.max(MIN_DEFAULT_CALIBRATION, KITSUNE_PY_BENIGN_END - fmGrace - adGrace - 1);
}


/** Options a saved model fixes: given with --model they would have no effect. */
const MODEL_FIXED_OPTIONS: readonly (keyof KitsuneOptions)[] = ['maxAe', 'fmGrace', 'adGrace', 'learningRate', 'hiddenRatio'];

/**
 * Refuses, before anything is read or written, options given on the command line that a saved model
 * overrides (its training parameters), rather than ignoring them.
 */
export function refuseModelOverrides(command: Command, options: KitsuneOptions): void {
  if (options.model === undefined) return;
  for (const key of MODEL_FIXED_OPTIONS) {
    if (command.getOptionValueSource(key) === 'cli') {
      const flag = command.options.find((o) => o.attributeName() === key)?.long ?? key;
      throw new UsageError(`${flag} cannot change a saved model (--model keeps its training parameters); drop it, or train a new model`);
    }
  }
}

/** A detector and its parameters: from a saved model (`--model`), or new from the options. */
export interface BuiltDetector {
  detector: Detector;
  params: KitsuneParams;
  /** Packets the loaded model had already seen (0 for a new one). */
  priorPackets: number;
}

/** Makes the detector; `featureCount` undefined: packets go through AfterImage (see detectorBuilder). */
export type DetectorBuilder = (featureCount?: number) => BuiltDetector;

/**
 * Reads the --model or --feature-map file now, once, and returns what makes the detector. With
 * `featureCount` undefined, packets go through AfterImage; a number: the detector scores feature
 * vectors of that length (`--features`), with no AfterImage, and is made at the table's first row
 * (its width decides it), while a missing or corrupt file is refused before the table is read.
 */
export function detectorBuilder(options: KitsuneOptions): DetectorBuilder {
  const rule = alertRuleOf(options);
  if (options.model !== undefined) {
    const model = loadModel(options.model);
    return (featureCount) => fromModel(model, options, rule, featureCount === undefined);
  }
  const featureMap = options.featureMap === undefined ? undefined : readFeatureMap(options.featureMap);
  return (featureCount) => fromOptions(options, rule, featureMap, featureCount);
}

function fromOptions(options: KitsuneOptions, rule: AlertRule, featureMap: number[][] | undefined, featureCount?: number): BuiltDetector {
  const withAfterImage = featureCount === undefined;
  const afterImageOptions = { evictBelow: options.evictBelow, maxStreams: options.maxStreams };
  const params: KitsuneParams = {
    lambdas: options.lambdas ?? [...DEFAULT_LAMBDAS],
    maxAE: options.maxAe,
    fmGrace: options.fmGrace,
    adGrace: options.adGrace,
    learningRate: options.learningRate,
    hiddenRatio: options.hiddenRatio,
  };
  const afterImage = withAfterImage ? new AfterImage({ lambdas: params.lambdas, ...afterImageOptions }) : null;
  const nFeatures = afterImage?.featureCount ?? (featureCount as number);
  let kitnet: KitNET;
  try {
    kitnet = new KitNET(nFeatures, { ...params, featureMap });
  } catch (error) {
    if (!(error instanceof RangeError) || featureMap === undefined) throw error;
    // The map names features this run does not have (another --lambdas), or is malformed.
    throw new UsageError(`${options.featureMap} cannot serve ${nFeatures} features: ${error.message}`);
  }
  const calibration = new Calibration(options.calibration ?? defaultCalibration(params.fmGrace, params.adGrace));
  const detector = new Detector(afterImage, kitnet, calibration, { alertRule: rule, warmup: options.warmup ?? 0 });
  return { detector, params, priorPackets: 0 };
}

function fromModel(model: ModelDocument, options: KitsuneOptions, rule: AlertRule, withAfterImage: boolean): BuiltDetector {
  if (options.lambdas && options.lambdas.join(',') !== model.params.lambdas.join(',')) {
    throw new UsageError(`--lambdas ${options.lambdas.join(',')} differs from the model's ${model.params.lambdas.join(',')}`);
  }
  if (options.featureMap !== undefined) throw new UsageError('--feature-map cannot be combined with --model');
  if (options.calibration !== undefined && model.threshold) {
    throw new UsageError('--calibration cannot change a saved model that has its threshold calibration; drop it, or train a new model');
  }
  let kitnet: KitNET;
  let calibration: Calibration;
  let afterImage: AfterImage | null = null;
  try {
    kitnet = KitNET.fromJSON({ ...model.kitnet, featureMap: model.featureMap });
    calibration = model.threshold
      ? Calibration.fromJSON(model.threshold)
      : new Calibration(options.calibration ?? defaultCalibration(model.params.fmGrace, model.params.adGrace));
    if (withAfterImage) {
      afterImage = model.afterImage
        ? AfterImage.fromJSON(model.afterImage)
        : new AfterImage({ lambdas: model.params.lambdas, evictBelow: options.evictBelow, maxStreams: options.maxStreams });
      if (afterImage.lambdas.join(',') !== model.params.lambdas.join(',') || afterImage.featureCount !== kitnet.nFeatures) {
        throw new TypeError("AfterImage's windows do not match the model's lambdas and KitNET's features");
      }
    }
  } catch (error) {
    throw new UsageError(`model ${options.model} is corrupt: ${(error as Error).message}`);
  }
  const warm = model.afterImage !== null && model.afterImage !== undefined;
  const warmup = options.warmup ?? (warm || !withAfterImage ? 0 : COLD_START_WARMUP);
  const detector = new Detector(afterImage, kitnet, calibration, { alertRule: rule, warmup });
  return { detector, params: model.params, priorPackets: model.packets };
}

/** Everything needed to continue later: see detect/model-file.ts. */
export function detectorModel(built: BuiltDetector, packets: number, withState: boolean): ModelDocument {
  const { detector, params } = built;
  const { featureMap, ...kitnet } = detector.kitnet.toJSON();
  return modelDocument({
    params,
    packets: built.priorPackets + packets,
    featureMap,
    kitnet,
    threshold: detector.calibration.toJSON(),
    afterImage: withState && detector.afterImage ? detector.afterImage.toJSON() : null,
  });
}

/** A feature map file: Kitsune-py's featuremap.json (an array of clusters) or a kitsune model's `featureMap`. */
function readFeatureMap(path: string): number[][] {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read feature map ${path}: ${(error as Error).message}`);
  }
  const map = Array.isArray(document) ? document : (document as { featureMap?: unknown } | null)?.featureMap;
  if (!Array.isArray(map) || !map.every((c) => Array.isArray(c) && c.every((f) => Number.isInteger(f)))) {
    throw new UsageError(`${path} is not a feature map (an array of arrays of feature indices)`);
  }
  return map as number[][];
}
