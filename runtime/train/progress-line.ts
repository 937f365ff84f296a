/**
 * Progress of a long one-off job (generating the bundled cohort): the label is logged on the first
 * report; on a terminal the percentage is then redrawn in place at every tenth, elsewhere nothing
 * more is printed.
 */
export interface ProgressLineIo {
  readonly log: (line: string) => void;
  readonly progressWrite: (text: string) => void;
  readonly isTty: boolean;
}

export function createProgressLine(io: ProgressLineIo, label: string): (done: number, total: number) => void {
  let announced = false;
  let lastTenth = -1;
  return (done, total) => {
    if (!announced) {
      io.log(`${label}...`);
      announced = true;
    }
    const tenth = Math.floor((10 * done) / total);
    if (io.isTty && tenth !== lastTenth) io.progressWrite(`\r  ${tenth * 10}%${done === total ? '\n' : ''}`);
    lastTenth = tenth;
  };
}
