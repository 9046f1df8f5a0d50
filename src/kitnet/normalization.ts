/**
 * KitNET's 0-1 normalisation of an autoencoder's inputs (Kitsune-py KitNET/dA.py):
 * x' = (x - min) / (max - min + NORM_EPSILON), min and max being those seen in training.
 */

/** dA.py's 0.0000000000000001 added to the range. */
export const NORM_EPSILON = 1e-16;
