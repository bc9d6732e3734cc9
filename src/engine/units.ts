/**
 * The only place byte and time units are defined (STYLE.md §4).
 * Vendors sell "80 GB" (10^9), vLLM logs GiB (2^30): the two differ by 7.4 %.
 */
export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const GB = 1e9;
export const TB = 1e12;
/** 10^12 operations, for TFLOPS figures from datasheets. */
export const TERA = 1e12;
export const MS_PER_S = 1000;
