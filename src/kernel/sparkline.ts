/**
 * ASCII sparklines for LATENCY GRAPH, drawn as Redis's sparkline.c draws them: `rows` rows of
 * `_o#` cells (filled below with `|`), then each sample's label written vertically under it, the
 * samples cut into blocks of `columns`.
 */
const FILL = '_o#';
const LABEL_MARGIN_TOP = 1;

export interface SparklineSample {
  value: number;
  label: string;
}

function renderRange(samples: readonly SparklineSample[], min: number, max: number, rows: number): string {
  const relmax = max - min === 0 ? 1 : max - min;
  const steps = FILL.length * rows;
  const hasLabels = samples.some((s) => s.label !== '');
  let out = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars: string[] = new Array(samples.length).fill(' ');
    for (let j = 0; j < samples.length; j++) {
      const s = samples[j];
      const step = Math.min(Math.max(Math.trunc(((s.value - min) * steps) / relmax), 0), steps - 1);
      if (row < rows) {
        more = true;
        const charIndex = step - (rows - row - 1) * FILL.length;
        if (charIndex >= 0 && charIndex < FILL.length) chars[j] = FILL[charIndex];
        else if (charIndex >= FILL.length) chars[j] = '|';
      } else {
        // A blank line between the graph and the labels.
        if (hasLabels && row - rows < LABEL_MARGIN_TOP) {
          more = true;
          chars.fill(' ');
          break;
        }
        const labelChar = row - rows - LABEL_MARGIN_TOP;
        if (s.label.length > labelChar) {
          more = true;
          chars[j] = s.label[labelChar];
        }
      }
    }
    if (!more) return out;
    out += chars.join('') + '\n';
  }
}

export function renderSparkline(samples: readonly SparklineSample[], columns: number, rows: number): string {
  if (samples.length === 0) return '';
  let min = samples[0].value;
  let max = samples[0].value;
  for (const s of samples) {
    if (s.value < min) min = s.value;
    if (s.value > max) max = s.value;
  }
  let out = '';
  for (let j = 0; j < samples.length; j += columns) {
    if (j !== 0) out += '\n';
    out += renderRange(samples.slice(j, j + columns), min, max, rows);
  }
  return out;
}
