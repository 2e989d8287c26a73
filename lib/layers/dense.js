"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Dense = void 0;
const native_1 = require("../native");
const layer_1 = require("./layer");
/** y = x W + b, optionally fused with ReLU. x (N,I), W (I,O), b (O), y (N,O). */
class Dense extends layer_1.Layer {
    inSize;
    outSize;
    relu;
    names;
    overwritesGrads = true;
    fusedParam = 0;
    W = new Float32Array(0);
    b = new Float32Array(0);
    dW = new Float32Array(0);
    db = new Float32Array(0);
    x = new Float32Array(0);
    y = new layer_1.Workspace();
    yEval = new layer_1.Workspace();
    dz = new layer_1.Workspace();
    dx = new layer_1.Workspace();
    constructor(inSize, outSize, relu, names) {
        super();
        this.inSize = inSize;
        this.outSize = outSize;
        this.relu = relu;
        this.names = names;
    }
    params() {
        const [I, O] = [this.inSize, this.outSize];
        return [
            { name: this.names[0], shape: [I, O], init: 'xavier', fanIn: I, fanOut: O, decay: true },
            { name: this.names[1], shape: [O], init: 'zeros', fanIn: I, fanOut: O, decay: false },
        ];
    }
    bind(params, grads) {
        [this.W, this.b] = params;
        [this.dW, this.db] = grads;
    }
    forward(x, n, mode) {
        if (mode.training)
            this.x = x;
        const y = (mode.training ? this.y : this.yEval).get(n * this.outSize);
        native_1.native.denseForward(x, this.W, this.b, y, n, this.inSize, this.outSize, this.relu);
        return y;
    }
    backward(dy, n, needDx) {
        const dz = this.preActivationGrad(dy, n);
        // Overwrites dW, db and dx: no zeroing pass over what can be the largest buffers of the model.
        const dx = needDx ? this.dx.get(n * this.inSize) : null;
        native_1.native.denseBackward(this.x, this.W, dz, this.dW, this.db, dx, n, this.inSize, this.outSize, false);
        return dx;
    }
    backwardUpdate(dy, n, needDx, rule, l2) {
        const dz = this.preActivationGrad(dy, n);
        const dx = needDx ? this.dx.get(n * this.inSize) : null;
        const squares = native_1.native.denseBackwardUpdate(this.x, this.W, dz, this.db, dx, n, this.inSize, this.outSize, l2, rule);
        return { dx, squares };
    }
    /** The gradient before the ReLU, when the layer has one. */
    preActivationGrad(dy, n) {
        if (!this.relu)
            return dy;
        const dz = this.dz.get(n * this.outSize);
        native_1.native.reluBackward(this.y.get(n * this.outSize), dy, dz, false);
        return dz;
    }
}
exports.Dense = Dense;
