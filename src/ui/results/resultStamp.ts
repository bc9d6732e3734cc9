/**
 * A small number that names one RecommendResult object for as long as it lives: the table writes it
 * in `data-result-stamp`, so scripts/measure-ui.ts (and e2e tests) can wait for the table to show a
 * new result without comparing cell text. Keyed by identity (each compute yields a new object).
 */
const stamps = new WeakMap<object, number>();
let lastStamp = 0;

export function resultStamp(result: object): number {
  const known = stamps.get(result);
  if (known !== undefined) return known;
  lastStamp += 1;
  stamps.set(result, lastStamp);
  return lastStamp;
}
