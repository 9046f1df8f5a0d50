import type { AfterImage } from '../afterimage/afterimage.js';
import type { PacketFields } from '../decode/fields.js';
import type { KitNET, Phase } from '../kitnet/kitnet.js';
import type { Calibration } from './calibration.js';
import type { AlertRule } from './threshold.js';

/** `alert` before a fit exists (printed as an empty cell). */
export const ALERT_UNKNOWN = -1;
/** How many features an explanation names. */
export const EXPLAIN_TOP_FEATURES = 3;

export interface DetectorOptions {
  alertRule: AlertRule;
  /** Alerts are suppressed on this many packets from the start of the run (statistics still filling). */
  warmup: number;
}

/**
 * Kitsune (paper Fig. 2; Kitsune-py Kitsune.py): per packet, AfterImage's features, KitNET's score,
 * and on top of Kitsune-py the detection step: the calibration's log-normal fit gives `logp`, the
 * alert rule an `alert`. The results of the last packet are read from the fields below (no object
 * per packet).
 */
export class Detector {
  readonly features: Float64Array;
  phase: Phase = 'map';
  rmse = 0;
  /** log-probability of the score under the fit; NaN (an empty cell) until the fit exists. */
  logp = Number.NaN;
  alert = ALERT_UNKNOWN;
  private processed = 0;
  /** log(p) of a `--alert-p` rule, computed once rather than per packet. */
  private readonly logAlertP: number;

  constructor(
    readonly afterImage: AfterImage | null,
    /** Replaced when KitNET comes back from worker threads (cli/score.ts). */
    public kitnet: KitNET,
    readonly calibration: Calibration,
    private readonly options: DetectorOptions,
  ) {
    this.features = new Float64Array(afterImage?.featureCount ?? kitnet.nFeatures);
    const rule = options.alertRule;
    this.logAlertP = rule.kind === 'p' ? Math.log(rule.p) : Number.NaN;
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
    this.phase = phase;
    this.rmse = rmse;
    this.logp = Number.NaN;
    this.alert = ALERT_UNKNOWN;
    const suppressed = this.processed++ < this.options.warmup;
    if (phase !== 'exec') return;
    const fit = this.calibration.fit;
    if (fit) this.logp = fit.logp(rmse);
    else this.calibration.observe(rmse);
    const rule = this.options.alertRule;
    // An absolute --threshold needs no fit; the log-probability rule does.
    if (rule.kind === 'rmse' || fit) {
      this.alert = !suppressed && (rule.kind === 'rmse' ? rmse > rule.rmse : this.logp < this.logAlertP) ? 1 : 0;
    }
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
