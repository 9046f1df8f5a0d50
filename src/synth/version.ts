/**
 * Version of the synthetic capture generators. Bump it whenever a change alters the bytes of any
 * generated capture: cached benchmark captures carry it in their file names, so stale ones are
 * never reused, and the committed fixtures must then be regenerated (`node dist/synth/cli.js fixtures`).
 */
export const SYNTH_VERSION = 1;
