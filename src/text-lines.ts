/**
 * Longest line any of kitsune's text readers accepts (tshark TSV, feature tables, score tables):
 * 1 MiB. Their rows are at most a few kilobytes (a feature row of 20 windows is about 10 KB); a longer
 * line means a binary or damaged file, and is refused before it is held whole or split (a line of
 * gigabytes would otherwise exhaust memory or V8's string limit).
 */
export const MAX_LINE_BYTES = 1024 * 1024;
