import { Autoencoder, hiddenSize, type AutoencoderModel } from './autoencoder.js';
import { FeatureMapper } from './feature-mapper.js';
import {
  decodeCount,
  decodeFinite,
  decodeNumbers,
  decodeObject,
  encodeNumbers,
  ModelError,
  type ModelNumber,
} from './model-numbers.js';

/**
 * KitNET (paper section IV; Kitsune-py KitNET/KitNET.py): a feature mapper groups the n features into
 * clusters of at most maxAE; an ensemble layer of one autoencoder per cluster; an output layer, one
 * autoencoder fed with the vector of the ensemble's RMSEs, whose RMSE is the anomaly score.
 *
 * Phases by n_trained (0-based packet index i while training): i = 0..FM update the feature mapper and the
 * map is built right after packet FM; i = FM+1..FM+AD train the autoencoders; then every packet is executed.
 * process() returns 0 for the FM+AD+1 grace packets. With a supplied feature map, training runs on
 * i = 0..FM+AD. Executing does not advance n_trained, so once executing, KitNET stays executing.
 */

export interface KitNETOptions {
  maxAE?: number;
  fmGrace?: number;
  adGrace?: number;
  learningRate?: number;
  hiddenRatio?: number;
  featureMap?: number[][];
}

export type Phase = 'map' | 'train' | 'exec';

export const KITNET_DEFAULTS = {
  maxAE: 10,
  fmGrace: 5000,
  adGrace: 50000,
  learningRate: 0.1,
  hiddenRatio: 0.75,
} as const;

export const KITNET_MODEL_FORMAT = 'kitsune-kitnet';
export const KITNET_MODEL_VERSION = 1;

export interface FeatureMapperModel {
  count: number;
  c: ModelNumber[];
  cRs: ModelNumber[];
  /** Strict upper triangle of the residual product sums, row-major. */
  cUpper: ModelNumber[];
}

export interface KitNETModel {
  format: typeof KITNET_MODEL_FORMAT;
  version: typeof KITNET_MODEL_VERSION;
  featureMap: number[][] | null;
  nFeatures: number;
  maxAE: number;
  fmGrace: number;
  adGrace: number;
  learningRate: number;
  hiddenRatio: number;
  /** Kitsune-py's n_trained and n_executed. */
  trained: number;
  executed: number;
  /** The feature mapper's statistics while the map is being learned, else null. */
  featureMapper: FeatureMapperModel | null;
  ensemble: AutoencoderModel[];
  outputLayer: AutoencoderModel | null;
}

interface Settings {
  maxAE: number;
  fmGrace: number;
  adGrace: number;
  learningRate: number;
  hiddenRatio: number;
}

function checkCount(v: number, what: string): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`KitNET: ${what} must be a non-negative integer`);
  return v;
}

function checkFinite(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new RangeError(`KitNET: ${what} must be a finite number`);
  return v;
}

/**
 * Most features a KitNET takes: the feature mapper keeps n(n-1)/2 correlation sums (67 MB at 4,096)
 * and Kitsune's 100 features, or 20 per AfterImage window, are far below.
 */
export const MAX_FEATURES = 4096;

/** A feature map must list, per autoencoder, at least one valid feature index, each once in its cluster. */
function checkFeatureMap(map: unknown, nFeatures: number): number[][] {
  const bad = (reason: string): never => {
    throw new RangeError(`KitNET: feature map ${reason}`);
  };
  if (!Array.isArray(map) || map.length === 0) bad('must be a non-empty array of clusters');
  // One autoencoder per feature at most (Kitsune-py's mapper partitions the features): more clusters
  // only grow the output layer, whose size goes with their square.
  if ((map as unknown[]).length > nFeatures) bad(`has ${(map as unknown[]).length} clusters, more than the ${nFeatures} features`);
  return (map as unknown[]).map((cluster, k) => {
    if (!Array.isArray(cluster) || cluster.length === 0) bad(`cluster ${k} must be a non-empty array`);
    const inCluster = new Set<number>();
    return (cluster as unknown[]).map((f) => {
      if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= nFeatures) {
        bad(`cluster ${k} has ${String(f)}, not a feature index in [0, ${nFeatures})`);
      }
      if (inCluster.has(f as number)) bad(`cluster ${k} lists feature ${String(f)} twice`);
      inCluster.add(f as number);
      return f as number;
    });
  });
}

export class KitNET {
  readonly nFeatures: number;
  private readonly settings: Settings;
  private map: number[][] | null = null;
  private mapIndex: Int32Array[] = [];
  /** Present while the map is being learned. */
  private mapper: FeatureMapper | null = null;
  private ensemble: Autoencoder[] = [];
  private output: Autoencoder | null = null;
  private ensembleRmse = new Float64Array(0);
  private trained = 0;
  private executed = 0;

  constructor(nFeatures: number, opts: KitNETOptions = {}) {
    if (!Number.isSafeInteger(nFeatures) || nFeatures < 1) throw new RangeError('KitNET: nFeatures must be a positive integer');
    if (nFeatures > MAX_FEATURES) {
      throw new RangeError(`KitNET: ${nFeatures} features, more than the ${MAX_FEATURES} kitsune takes (the feature mapper's memory grows with their square)`);
    }
    this.nFeatures = nFeatures;
    const maxAE = checkCount(opts.maxAE ?? KITNET_DEFAULTS.maxAE, 'maxAE');
    this.settings = {
      // Kitsune-py: a max_autoencoder_size <= 0 means 1.
      maxAE: Math.max(maxAE, 1),
      fmGrace: checkCount(opts.fmGrace ?? KITNET_DEFAULTS.fmGrace, 'fmGrace'),
      adGrace: checkCount(opts.adGrace ?? KITNET_DEFAULTS.adGrace, 'adGrace'),
      learningRate: checkFinite(opts.learningRate ?? KITNET_DEFAULTS.learningRate, 'learningRate'),
      hiddenRatio: checkFinite(opts.hiddenRatio ?? KITNET_DEFAULTS.hiddenRatio, 'hiddenRatio'),
    };
    if (this.settings.hiddenRatio < 0) throw new RangeError('KitNET: hiddenRatio must not be negative');
    if (opts.featureMap !== undefined) this.createLayers(checkFeatureMap(opts.featureMap, nFeatures));
    else this.mapper = new FeatureMapper(nFeatures);
  }

  /** The phase the NEXT call to process() will run in. */
  get phase(): Phase {
    if (this.trained > this.settings.fmGrace + this.settings.adGrace) return 'exec';
    return this.map === null ? 'map' : 'train';
  }

  /** Kitsune-py's KitNET.process: feature-map / train / execute by phase; returns the RMSE (0 during grace). */
  process(x: Float64Array): number {
    if (this.trained > this.settings.fmGrace + this.settings.adGrace) return this.execute(x);
    this.train(x);
    return 0;
  }

  /**
   * Kitsune-py's KitNET.train: while the map is being learned (n_trained <= FM), updates the feature mapper
   * (building the map at n_trained = FM) and returns 0; otherwise trains the ensemble and output layers and
   * returns the output layer's training RMSE.
   */
  train(x: Float64Array): number {
    this.checkLength(x);
    const mapper = this.mapper;
    if (mapper !== null && this.trained <= this.settings.fmGrace) {
      mapper.update(x);
      if (this.trained === this.settings.fmGrace) {
        this.createLayers(mapper.cluster(this.settings.maxAE));
        this.mapper = null;
      }
      this.trained++;
      return 0;
    }
    const output = this.requireMap('train');
    const rmse = this.ensembleRmse;
    for (let k = 0; k < this.ensemble.length; k++) this.ensemble[k].trainFeatures(x, this.mapIndex[k], rmse, k);
    this.trained++;
    return output.train(rmse);
  }

  /** Kitsune-py's KitNET.execute: the output layer's reconstruction RMSE of the ensemble's RMSEs. */
  execute(x: Float64Array): number {
    // Untrained autoencoders (adGrace 0) score NaN, as in Kitsune-py (min/max still +/-Infinity).
    this.checkLength(x);
    const output = this.requireMap('execute');
    this.executed++;
    const rmse = this.ensembleRmse;
    for (let k = 0; k < this.ensemble.length; k++) this.ensemble[k].executeFeatures(x, this.mapIndex[k], rmse, k);
    return output.execute(rmse);
  }

  /** A copy of the feature map (per autoencoder, its feature indices in input order), or null before it is built. */
  get featureMap(): number[][] | null {
    return this.map === null ? null : this.map.map((cluster) => cluster.slice());
  }

  /** Packets trained on, Kitsune-py's n_trained (feature-mapper updates included). */
  get trainedCount(): number {
    return this.trained;
  }

  /** Packets executed, Kitsune-py's n_executed. */
  get executedCount(): number {
    return this.executed;
  }

  /** After execute()/train(): the ensemble layer's per-autoencoder RMSEs (a live buffer, overwritten by the next call). */
  lastEnsembleRmse(): Float64Array {
    return this.ensembleRmse;
  }

  /** For ensemble autoencoder k: per-input squared reconstruction errors of the last call, indexed like featureMap[k]. */
  lastReconstructionErrors(k: number): Float64Array {
    return this.ensemble[k].errors;
  }

  /**
   * Ensemble autoencoder k, for running the ensemble layer elsewhere (e.g. worker threads): call its
   * trainFeatures/executeFeatures(x, inputIndex(k), rmse, k) on the whole feature vector x; the output
   * layer then takes the vector of the ensemble's RMSEs. Each autoencoder's state is its own typed arrays.
   */
  autoencoder(k: number): Autoencoder {
    return this.ensemble[k];
  }

  /** The feature indices of cluster k (featureMap[k]) as autoencoder k reads them. */
  inputIndex(k: number): Int32Array {
    return this.mapIndex[k];
  }

  /** The output layer's autoencoder (null before the map is built). */
  get outputLayer(): Autoencoder | null {
    return this.output;
  }

  toJSON(): KitNETModel {
    const s = this.settings;
    const mapper = this.mapper;
    return {
      format: KITNET_MODEL_FORMAT,
      version: KITNET_MODEL_VERSION,
      featureMap: this.featureMap,
      nFeatures: this.nFeatures,
      maxAE: s.maxAE,
      fmGrace: s.fmGrace,
      adGrace: s.adGrace,
      learningRate: s.learningRate,
      hiddenRatio: s.hiddenRatio,
      trained: this.trained,
      executed: this.executed,
      featureMapper:
        mapper === null
          ? null
          : {
              count: mapper.count,
              c: encodeNumbers(mapper.c),
              cRs: encodeNumbers(mapper.cRs),
              cUpper: encodeNumbers(mapper.cUpper),
            },
      ensemble: this.ensemble.map((ae) => ae.toJSON()),
      outputLayer: this.output === null ? null : this.output.toJSON(),
    };
  }

  /** Rebuilds a KitNET from toJSON()'s document; throws a clear Error on a corrupt or incompatible one. */
  static fromJSON(model: unknown): KitNET {
    const m = decodeObject(model, 'model');
    if (m.format !== KITNET_MODEL_FORMAT) throw new ModelError(`format is not '${KITNET_MODEL_FORMAT}'`);
    if (m.version !== KITNET_MODEL_VERSION) throw new ModelError(`unsupported version ${String(m.version)}`);
    const nFeatures = decodeCount(m.nFeatures, 'nFeatures');
    if (nFeatures === 0) throw new ModelError('nFeatures must be positive');
    const opts = {
      maxAE: decodeCount(m.maxAE, 'maxAE'),
      fmGrace: decodeCount(m.fmGrace, 'fmGrace'),
      adGrace: decodeCount(m.adGrace, 'adGrace'),
      learningRate: decodeFinite(m.learningRate, 'learningRate'),
      hiddenRatio: decodeFinite(m.hiddenRatio, 'hiddenRatio'),
    };
    const trained = decodeCount(m.trained, 'trained');
    const executed = decodeCount(m.executed, 'executed');
    let net: KitNET;
    try {
      net = m.featureMap === null ? new KitNET(nFeatures, opts) : new KitNET(nFeatures, { ...opts, featureMap: m.featureMap as number[][] });
    } catch (err) {
      throw new ModelError((err as Error).message);
    }
    net.trained = trained;
    net.executed = executed;

    if (net.map === null) {
      if (trained > opts.fmGrace) throw new ModelError('no feature map after the feature-mapping grace period');
      if (!Array.isArray(m.ensemble) || m.ensemble.length !== 0 || m.outputLayer !== null) {
        throw new ModelError('autoencoders present before the feature map is built');
      }
      const fm = decodeObject(m.featureMapper, 'featureMapper');
      const mapper = net.mapper as FeatureMapper;
      mapper.count = decodeCount(fm.count, 'featureMapper.count');
      if (mapper.count !== trained) throw new ModelError('featureMapper.count differs from trained');
      mapper.c.set(decodeNumbers(fm.c, nFeatures, 'featureMapper.c'));
      mapper.cRs.set(decodeNumbers(fm.cRs, nFeatures, 'featureMapper.cRs'));
      mapper.cUpper.set(decodeNumbers(fm.cUpper, mapper.cUpper.length, 'featureMapper.cUpper'));
      return net;
    }

    if (m.featureMapper !== null) throw new ModelError('featureMapper must be null once the feature map is built');
    if (!Array.isArray(m.ensemble) || m.ensemble.length !== net.map.length) {
      throw new ModelError(`ensemble must list ${net.map.length} autoencoders, one per feature-map cluster`);
    }
    net.ensemble = m.ensemble.map((doc: unknown, k) => {
      const ae = Autoencoder.fromJSON(doc, `ensemble[${k}]`);
      net.checkShape(ae, (net.map as number[][])[k].length, `ensemble[${k}]`);
      return ae;
    });
    net.output = Autoencoder.fromJSON(m.outputLayer, 'outputLayer');
    net.checkShape(net.output, net.map.length, 'outputLayer');
    return net;
  }

  /** Builds the ensemble and output layers for a feature map (KitNET.__createAD__). */
  private createLayers(map: number[][]): void {
    const { hiddenRatio, learningRate } = this.settings;
    const autoencoder = (n: number) => new Autoencoder(n, hiddenSize(n, hiddenRatio), learningRate);
    this.map = map;
    this.mapIndex = map.map((cluster) => Int32Array.from(cluster));
    this.ensemble = map.map((cluster) => autoencoder(cluster.length));
    this.output = autoencoder(map.length);
    this.ensembleRmse = new Float64Array(map.length);
  }

  private checkShape(ae: Autoencoder, nVisible: number, what: string): void {
    const { hiddenRatio, learningRate } = this.settings;
    if (ae.nVisible !== nVisible || ae.nHidden !== hiddenSize(nVisible, hiddenRatio) || ae.learningRate !== learningRate) {
      throw new ModelError(`${what} does not match the feature map and parameters`);
    }
  }

  private checkLength(x: Float64Array): void {
    if (x.length !== this.nFeatures) throw new RangeError(`KitNET: ${x.length} features given, the model has ${this.nFeatures}`);
  }

  private requireMap(action: string): Autoencoder {
    if (this.output === null) {
      throw new Error(`KitNET cannot ${action}: no feature map has been learned or supplied yet (use process())`);
    }
    return this.output;
  }
}
