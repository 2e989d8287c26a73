import { Network } from './network';
export interface MlpOptions {
    /** Values per sample (default 784 = 28 x 28). */
    inputs?: number;
    /** Hidden units (default 1000, the seed's). */
    hidden?: number;
    /** Classes (default 10). */
    classes?: number;
    /** Seed of the Xavier initialization (default 521): the same seed gives the same weights. */
    seed?: number;
}
export declare class MLP extends Network {
    readonly kind: "mlp";
    readonly options: Readonly<Required<MlpOptions>>;
    constructor(options?: MlpOptions);
}
/** Builds the seed's MLP: `inputs` -> `hidden` ReLU -> `classes` softmax. */
export declare function mlp(options?: MlpOptions): MLP;
