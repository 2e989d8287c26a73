// `gemmnet bench`: runs the benchmark script of a source checkout, passing the arguments through.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CliError } from './args';

export const BENCH_SCRIPT = path.resolve(__dirname, '..', '..', 'bench', 'run.js');

export function benchCommand(argv: string[]): Promise<number> {
  if (!fs.existsSync(BENCH_SCRIPT)) {
    throw new CliError(`the benchmarks are not here: ${BENCH_SCRIPT} does not exist. They ship with the source, ` +
      'not the npm package: run `npx gemmnet bench` (or `npm run bench`) in a clone of the gemmnet repository.');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH_SCRIPT, ...argv], { stdio: 'inherit' });
    // Ctrl-C reaches the child through the terminal; this process waits for it to finish.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    child.on('error', (err) => {
      process.off('SIGINT', ignore);
      reject(err);
    });
    child.on('exit', (code, sig) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (sig ? 128 + (sig === 'SIGINT' ? 2 : 1) : 1));
    });
  });
}
