export declare function formatDuration(seconds: number): string;
export declare function reproduceCommand(argv: string[], signal: AbortSignal): Promise<number>;
