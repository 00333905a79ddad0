import { type AuditProgress } from '../model/scan.js';

export interface ProgressWriter {
  write(text: string): void;
}

/** A single self-overwriting line on a terminal's stderr, redrawn at most every `intervalMs`. */
export function terminalProgress(
  out: ProgressWriter,
  now: () => number,
  intervalMs = 100,
): AuditProgress & { done(): void } {
  let regions = 0;
  let regionsDone = 0;
  let listed = 0;
  let described = 0;
  let lastDraw = 0;
  const draw = (force = false) => {
    const t = now();
    if (!force && t - lastDraw < intervalMs) return;
    lastDraw = t;
    out.write(
      `\r\x1b[Kscanning: ${regionsDone}/${regions} regions, ${described}/${listed} clusters described`,
    );
  };
  return {
    // Once per account: a run across accounts adds each account's regions.
    regionsPlanned: (count) => {
      regions += count;
      draw(true);
    },
    regionFinished: () => {
      regionsDone += 1;
      draw();
    },
    clusterListed: (_region, count) => {
      listed += count;
      draw();
    },
    clusterDescribed: () => {
      described += 1;
      draw();
    },
    done: () => out.write('\r\x1b[K'),
  };
}
