// Progress for long work: a redrawn bar with ETA on a terminal, plain lines otherwise (CI logs, pipes).
import type { BatchInfo, EpochRecord } from '../train';

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function formatEpoch(r: EpochRecord, epochs: number): string {
  const part = (name: string, m?: { loss: number; accuracy: number }) =>
    m ? `${name} loss ${m.loss.toFixed(4)} acc ${(m.accuracy * 100).toFixed(2)}%` : '';
  return [`epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}`, `${r.seconds.toFixed(2)}s`,
    part('train', r.train), part('valid', r.valid), part('test', r.test)].filter(Boolean).join('  ');
}

export class Progress {
  private readonly tty: boolean;
  private readonly start = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly label: string, private readonly epochs: number,
    private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY) && !process.env.CI;
  }

  batch(b: BatchInfo): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && b.batch !== b.batches) return;
    this.lastDraw = now;
    this.drawn = true;
    const done = (b.epoch - 1 + b.batch / b.batches) / this.epochs;
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (1 - done) : Infinity;
    const width = 30;
    const filled = Math.round(done * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    this.out.write(`\r${this.label ? this.label + ' ' : ''}${bar} ${(done * 100).toFixed(1).padStart(5)}%  epoch ${b.epoch}/${this.epochs}  ` +
      `loss ${b.loss.toFixed(4)}  elapsed ${fmtTime(elapsed)}  ETA ${fmtTime(eta)} \x1b[K`);
  }

  epoch(r: EpochRecord): void {
    this.clear();
    this.out.write(`${this.label ? this.label + ' ' : ''}${formatEpoch(r, this.epochs)}\n`);
  }

  /** Removes the bar (after the last epoch, or when training stopped part-way through one). */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
