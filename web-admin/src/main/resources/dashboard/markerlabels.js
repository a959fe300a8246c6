// Where the labels of chart markers go so that none overlaps another: each label takes the first of a few rows where
// it fits beside its line; a label that fits in none is counted into a "+N" on the last row, which merges with the "+N"
// before it when they would touch. The whole texts stay in the list under the charts and in the chart's tooltip.

export const LABEL_ROWS = 3;
const GAP = 4;

/**
 * Lays out labels: markers [{x, width, text}] sorted by x (the line's position in pixels, the label's measured width);
 * answers the placed labels [{x, row, width, text, hidden: 0}] (x: where the text starts, beside its line, or left of
 * it at the right edge) and the counts [{x, row: LABEL_ROWS, width, text: '+N', hidden: N}]. measure(text) gives a
 * text's width. In each row a label starts after the previous one's end plus a gap, so no two boxes overlap.
 */
export function layoutLabels(markers, measure, right = Infinity) {
  const ends = new Array(LABEL_ROWS + 1).fill(-Infinity);
  const placed = [];
  let count = null;
  for (const m of markers) {
    const start = Math.min(m.x + GAP, right - m.width);
    const row = ends.slice(0, LABEL_ROWS).findIndex((end) => start >= end + GAP);
    if (row >= 0) {
      placed.push({ x: start, row, width: m.width, text: m.text, hidden: 0 });
      ends[row] = start + m.width;
      continue;
    }
    if (count && m.x < ends[LABEL_ROWS] + GAP) {
      count.hidden++;
    } else {
      count = { x: Math.max(start, ends[LABEL_ROWS] + GAP), row: LABEL_ROWS, width: 0, text: '', hidden: 1 };
      placed.push(count);
    }
    count.text = `+${count.hidden}`;
    count.width = measure(count.text);
    ends[LABEL_ROWS] = count.x + count.width;
  }
  return placed;
}
