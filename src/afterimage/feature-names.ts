import { pyRepr } from '../output/number.js';

/**
 * Kitsune-py's feature names (netStat.getNetStatHeaders): per group, λ-major, with λ printed by
 * Python's str(): integers as written in Kitsune-py's list ([5, 3, 1, .1, .01] -> '5', '0.1'),
 * other values as repr ('0.01', '1e-05').
 */
export function lambdaName(lambda: number): string {
  return Number.isInteger(lambda) ? String(lambda) : pyRepr(lambda);
}

const ONE_D = ['weight', 'mean', 'std'];
const TWO_D = ['weight_0', 'mean_0', 'std_0', 'radius_0_1', 'magnitude_0_1', 'covariance_0_1', 'pcc_0_1'];

export function featureNames(lambdas: readonly number[]): string[] {
  const group = (prefix: string, stats: readonly string[]): string[] =>
    lambdas.flatMap((lambda) => stats.map((stat) => `${prefix}${lambdaName(lambda)}_${stat}`));
  return [...group('MI_dir_', ONE_D), ...group('HH_', TWO_D), ...group('HH_jit_', ONE_D), ...group('HpHp_', TWO_D)];
}
