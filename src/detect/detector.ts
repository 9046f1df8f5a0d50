import type { AfterImage } from '../afterimage/afterimage.js';
import type { PacketFields } from '../decode/fields.js';
import type { KitNET, Phase } from '../kitnet/kitnet.js';
import type { Calibration } from './calibration.js';
import { Decision, type DetectorOptions } from './decision.js';
import { explainExecution, type Explanation } from './explanation.js';

export { ALERT_UNKNOWN, type DetectorOptions } from './decision.js';

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

  /** For the last executed packet: explanation.ts's explanation, from this thread's KitNET. */
  explain(featureNames: readonly string[]): Explanation {
    const kitnet = this.kitnet;
    return explainExecution(kitnet.lastEnsembleRmse(), (k) => kitnet.lastReconstructionErrors(k), kitnet.featureMap as number[][], featureNames);
  }
}
