import { BatchNormMode } from './layers/norm';
import { Network } from './network';
export interface BatchNormOptions {
    /** 'channel' (default): each channel over batch, height and width. 'batch': each activation over
     * the batch axis only, as the seed's tf.nn.moments(h, axes=[0]). */
    mode?: BatchNormMode;
    /** Added to the variance (default 1e-9, the seed's). */
    eps?: number;
    /** Running-average momentum used for evaluation statistics (default 0.99). */
    momentum?: number;
    /** Statistics at evaluation: 'running' (default, averages kept during training) or 'batch' (the
     * seed's behaviour: each evaluation chunk normalized by its own statistics). */
    evaluation?: 'running' | 'batch';
}
export interface CnnOptions {
    /** Input height, width and channels (default 28 x 28 x 1). */
    height?: number;
    width?: number;
    channels?: number;
    /** Convolution filters (default 32) and kernel size (default 3). */
    filters?: number;
    kernel?: number;
    /** Units of the first fully connected layer (default 784). */
    fc?: number;
    classes?: number;
    /** Dropout keep probability after the first FC layer (default 1: no dropout). */
    keepProb?: number;
    /** L2 weight decay: adds l2 * sum(W^2) / 2 over W_conv, W_fc1, W_fc2 (default 0). */
    l2?: number;
    batchNorm?: BatchNormOptions;
    /** Seed of the initialization and of the dropout masks (default 521). */
    seed?: number;
}
export interface NormalizedCnnOptions {
    height: number;
    width: number;
    channels: number;
    filters: number;
    kernel: number;
    fc: number;
    classes: number;
    keepProb: number;
    l2: number;
    seed: number;
    batchNorm: Required<BatchNormOptions>;
}
export declare class CNN extends Network {
    readonly kind: "cnn";
    readonly options: Readonly<NormalizedCnnOptions>;
    constructor(options?: CnnOptions);
}
/** Builds the seed's CNN (see CnnOptions for the defaults). */
export declare function cnn(options?: CnnOptions): CNN;
