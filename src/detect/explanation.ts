/** How many features an explanation names. */
export const EXPLAIN_TOP_FEATURES = 3;

/** Which part of the ensemble an alert comes from, and which features it reconstructs worst. */
export interface Explanation {
  autoencoder: number;
  /** `name=squared error` pairs, worst first, `;`-separated. */
  features: string;
}

/**
 * The explanation of an executed packet: the ensemble autoencoder k with the largest reconstruction
 * RMSE (the first on ties), then its EXPLAIN_TOP_FEATURES inputs with the largest squared
 * reconstruction errors (the first input on ties), named through the feature map.
 * `errorsOf(k)`: autoencoder k's per-input squared errors, in featureMap[k]'s order.
 */
export function explainExecution(
  rmse: ArrayLike<number>,
  errorsOf: (k: number) => ArrayLike<number>,
  featureMap: readonly (readonly number[])[],
  featureNames: readonly string[],
): Explanation {
  let worst = 0;
  for (let k = 1; k < rmse.length; k++) if (rmse[k] > rmse[worst]) worst = k;
  const inputs = featureMap[worst];
  const errors = errorsOf(worst);
  const order = inputs.map((_, j) => j).sort((a, b) => errors[b] - errors[a] || a - b);
  const features = order
    .slice(0, EXPLAIN_TOP_FEATURES)
    .map((j) => `${featureNames[inputs[j]]}=${errors[j].toPrecision(3)}`)
    .join(';');
  return { autoencoder: worst, features };
}
