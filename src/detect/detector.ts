import type { AfterImage } from '../afterimage/afterimage.js';
import type { PacketFields } from '../decode/fields.js';
import type { KitNET, Phase } from '../kitnet/kitnet.js';
import type { Calibration } from './calibration.js';
import { Decision, type DetectorOptions } from './decision.js';

export { ALERT_UNKNOWN, type DetectorOptions } from './decision.js';

/** How many features an explanation names. */
export const EXPLAIN_TOP_FEATURES = 3;

/**
 * Kitsune (paper Fig. 2; Kitsune-py Kitsune.py): per packet, AfterImage's features, KitNET's score,
 * and on top of Kitsune-py the detection step: the calibration's log-normal fit gives `logp`, the
 * alert rule an `alert`. The results of the last packet are read from the fields below (no object
 * per packet).
 */
export class Detector {
  readonly features: Float64Array;
  /** The detection step: the calibration, the alert rule and the last packet's results. */
  readonly decision: Decision;

  constructor(
    readonly afterImage: AfterImage | null,
    /** Replaced when KitNET comes back from worker threads (cli/score.ts). */
    public kitnet: KitNET,
    calibration: Calibration,
    options: DetectorOptions,
  ) {
    this.features = new Float64Array(afterImage?.featureCount ?? kitnet.nFeatures);
    this.decision = new Decision(calibration, options);
  }

  get phase(): Phase {
    return this.decision.phase;
  }

  get rmse(): number {
    return this.decision.rmse;
  }

  /** log-probability of the score under the fit; NaN (an empty cell) until the fit exists. */
  get logp(): number {
    return this.decision.logp;
  }

  get alert(): number {
    return this.decision.alert;
  }

  get calibration(): Calibration {
    return this.decision.calibration;
  }

  /** One packet: AfterImage, then KitNET and the alert decision. */
  processPacket(packet: PacketFields): void {
    (this.afterImage as AfterImage).update(packet, this.features);
    this.score(this.features);
  }

  /** One precomputed feature vector (`--features` input). */
  score(features: Float64Array): void {
    const phase = this.kitnet.phase;
    this.decide(phase, this.kitnet.process(features));
  }

  /** The detection step for a packet KitNET scored (here or on a worker thread), in packet order. */
  decide(phase: Phase, rmse: number): void {
    this.decision.decide(phase, rmse);
  }

  /**
   * For the last executed packet: the ensemble autoencoder with the largest reconstruction RMSE and
   * its features with the largest squared reconstruction errors, by name, as `name=error` pairs.
   */
  explain(featureNames: readonly string[]): { autoencoder: number; features: string } {
    const rmse = this.kitnet.lastEnsembleRmse();
    let worst = 0;
    for (let k = 1; k < rmse.length; k++) if (rmse[k] > rmse[worst]) worst = k;
    const errors = this.kitnet.lastReconstructionErrors(worst);
    const inputs = (this.kitnet.featureMap as number[][])[worst];
    const order = [...errors.keys()].sort((a, b) => errors[b] - errors[a] || a - b).slice(0, EXPLAIN_TOP_FEATURES);
    const features = order.map((j) => `${featureNames[inputs[j]]}=${errors[j].toPrecision(3)}`).join(';');
    return { autoencoder: worst, features };
  }
}
