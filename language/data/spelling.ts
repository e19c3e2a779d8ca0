// "Did you mean" suggestions for methods and directives, so both feel the same.

/**
 * The candidate closest to `word` by restricted Damerau-Levenshtein distance after
 * `normalize`, or undefined when even the best is more than a third of the word off.
 */
export function closestName(word: string, candidates: readonly string[], normalize: (name: string) => string): string | undefined {
  const wanted = normalize(word);
  if (wanted.length === 0) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const normalized = normalize(candidate);
    // The distance is at least the difference in length: such a candidate cannot do better.
    if (Math.abs(normalized.length - wanted.length) >= bestDistance) continue;
    const distance = editDistance(wanted, normalized);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * Three rows of the distance table, reused: diagnostics ask for a suggestion for every unknown
 * method and directive on every pass, and a table of arrays per candidate made each question
 * cost about 100 µs.
 */
let rows: readonly [Int32Array, Int32Array, Int32Array] = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const columns = b.length + 1;
  if (rows[0].length < columns) rows = [new Int32Array(columns), new Int32Array(columns), new Int32Array(columns)];
  // Rows `row - 2`, `row - 1` and `row` of the table, rotated as `row` grows.
  let [twoAbove, above, current] = rows;
  for (let column = 0; column < columns; column++) above[column] = column;
  for (let row = 1; row <= a.length; row++) {
    const code = a.charCodeAt(row - 1);
    current[0] = row;
    for (let column = 1; column < columns; column++) {
      const other = b.charCodeAt(column - 1);
      let distance = Math.min(above[column] + 1, current[column - 1] + 1, above[column - 1] + (code === other ? 0 : 1));
      if (row > 1 && column > 1 && code === b.charCodeAt(column - 2) && a.charCodeAt(row - 2) === other) {
        distance = Math.min(distance, twoAbove[column - 2] + 1);
      }
      current[column] = distance;
    }
    const spare = twoAbove;
    twoAbove = above;
    above = current;
    current = spare;
  }
  return above[b.length];
}
