export declare const BENCH_SCRIPT: string;
export declare function benchCommand(argv: string[]): Promise<number>;
