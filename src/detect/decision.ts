import type { Phase } from '../kitnet/kitnet.js';
import { Calibration, type CalibrationJson } from './calibration.js';
import type { AlertRule } from './threshold.js';

/** `alert` before a fit exists (printed as an empty cell). */
export const ALERT_UNKNOWN = -1;

export interface DetectorOptions {
  alertRule: AlertRule;
  /** Alerts are suppressed on this many packets from the start of the run (statistics still filling). */
  warmup: number;
}

/** Everything the decisions of the next packets depend on, as plain data (for a copy on a worker thread). */
export interface DecisionState {
  calibration: CalibrationJson;
  processed: number;
  options: DetectorOptions;
}

/**
 * The detection step after KitNET, in packet order (Kitsune-py example.py's log-normal fit and
 * cut-off, see detect/threshold.ts): executed scores first fill the calibration; once it has its
 * fit, each score gets `logp` and, under the alert rule, `alert` (not during the warmup). The results
 * of the last packet are read from the fields below (no object per packet). It can run on a worker
 * thread from toState() and hand its state back with adoptState().
 */
export class Decision {
  phase: Phase = 'map';
  rmse = 0;
  /** log-probability of the score under the fit; NaN (an empty cell) until the fit exists. */
  logp = Number.NaN;
  alert = ALERT_UNKNOWN;
  /** Packets decided so far (the warmup counts them). */
  private processed = 0;
  /** log(p) of a `--alert-p` rule, computed once rather than per packet. */
  private readonly logAlertP: number;

  constructor(
    public calibration: Calibration,
    private readonly options: DetectorOptions,
  ) {
    const rule = options.alertRule;
    this.logAlertP = rule.kind === 'p' ? Math.log(rule.p) : Number.NaN;
  }

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

  /** The results of a packet decided by a copy of this decision (on a worker thread). */
  show(phase: Phase, rmse: number, logp: number, alert: number): void {
    this.phase = phase;
    this.rmse = rmse;
    this.logp = logp;
    this.alert = alert;
  }

  toState(): DecisionState {
    return { calibration: this.calibration.toJSON(), processed: this.processed, options: this.options };
  }

  static fromState(state: DecisionState): Decision {
    const decision = new Decision(Calibration.fromJSON(state.calibration), state.options);
    decision.processed = state.processed;
    return decision;
  }

  /** Takes over the state of the copy that decided every packet since toState(). */
  adoptState(state: DecisionState): void {
    this.calibration = Calibration.fromJSON(state.calibration);
    this.processed = state.processed;
  }
}
