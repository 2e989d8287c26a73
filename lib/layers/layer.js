"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Layer = exports.Workspace = void 0;
/** A growable Float32Array workspace that hands out exact-length views, reusing them per length. */
class Workspace {
    data = new Float32Array(0);
    view = this.data;
    get(length) {
        if (this.data.length < length) {
            this.data = new Float32Array(length);
            this.view = this.data.subarray(0, length);
        }
        else if (this.view.length !== length || this.view.buffer !== this.data.buffer) {
            this.view = this.data.subarray(0, length);
        }
        return this.view;
    }
    /** As get(), zero-filled: backward kernels accumulate into their outputs. */
    zeroed(length) {
        const v = this.get(length);
        v.fill(0);
        return v;
    }
    get bytes() {
        return this.data.byteLength;
    }
}
exports.Workspace = Workspace;
class Layer {
    params() {
        return [];
    }
    /** Receives views of the parameters and gradients, in the order of params(). */
    bind(_params, _grads) { }
    /** True when backward() overwrites its parameter gradients rather than accumulating into them, so
     * the network need not zero them first. */
    overwritesGrads = false;
    /** The index in params() of a parameter that backwardUpdate() can update itself, or -1. */
    fusedParam = -1;
    /**
     * backward(), fused with the optimizer's update of params()[fusedParam]: its gradient (plus l2
     * times the parameter) goes straight into `rule` and is not written to the gradient buffer. Returns
     * dx (when needDx) and the parameter's sum of squares before the update (0 when l2 is 0).
     */
    backwardUpdate(_dy, _n, _needDx, _rule, _l2) {
        throw new Error(`${this.constructor.name} has no fused update`);
    }
    /** Non-trainable state saved with the model (e.g. batch norm's running averages). */
    state() {
        return {};
    }
}
exports.Layer = Layer;
