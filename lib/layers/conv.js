"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MaxPool2d = exports.Conv2d = void 0;
exports.convOutput = convOutput;
const native_1 = require("../native");
const layer_1 = require("./layer");
/** Output size and TensorFlow's padding split (the extra row/column goes to the bottom/right). */
function convOutput(g) {
    const out = (inp, k) => g.padding === 'same' ? Math.ceil(inp / g.stride) : Math.floor((inp - k) / g.stride) + 1;
    const OH = out(g.H, g.KH);
    const OW = out(g.W, g.KW);
    const pad = (o, k, inp) => g.padding === 'same' ? Math.floor(Math.max((o - 1) * g.stride + k - inp, 0) / 2) : 0;
    return { OH, OW, padTop: pad(OH, g.KH, g.H), padLeft: pad(OW, g.KW, g.W) };
}
/**
 * 2-D convolution as im2col + sgemm, optionally fused with ReLU.
 * x (N,H,W,C), W_conv (KH,KW,C,F), b (F) -> y (N,OH,OW,F).
 */
class Conv2d extends layer_1.Layer {
    g;
    relu;
    names;
    inSize;
    outSize;
    OH;
    OW;
    dims;
    dimsEval;
    Wt = new Float32Array(0);
    b = new Float32Array(0);
    dW = new Float32Array(0);
    db = new Float32Array(0);
    x = new Float32Array(0);
    y = new layer_1.Workspace();
    col = new layer_1.Workspace();
    yEval = new layer_1.Workspace();
    colEval = new layer_1.Workspace();
    dz = new layer_1.Workspace();
    dx = new layer_1.Workspace();
    constructor(g, relu, names) {
        super();
        this.g = g;
        this.relu = relu;
        this.names = names;
        const { OH, OW, padTop, padLeft } = convOutput(g);
        this.OH = OH;
        this.OW = OW;
        this.inSize = g.H * g.W * g.C;
        this.outSize = OH * OW * g.F;
        this.dims = Int32Array.from([0, g.H, g.W, g.C, g.KH, g.KW, g.F, g.stride, g.stride, padTop, padLeft, OH, OW]);
        this.dimsEval = this.dims.slice();
    }
    params() {
        const { KH, KW, C, F } = this.g;
        return [
            { name: this.names[0], shape: [KH, KW, C, F], init: 'xavier', fanIn: KH * KW * C, fanOut: KH * KW * F, decay: true },
            { name: this.names[1], shape: [F], init: 'zeros', fanIn: KH * KW * C, fanOut: KH * KW * F, decay: false },
        ];
    }
    bind(params, grads) {
        [this.Wt, this.b] = params;
        [this.dW, this.db] = grads;
    }
    colSize(n) {
        return n * this.OH * this.OW * this.g.KH * this.g.KW * this.g.C;
    }
    forward(x, n, mode) {
        const t = mode.training;
        if (t)
            this.x = x;
        const dims = t ? this.dims : this.dimsEval;
        dims[0] = n;
        const y = (t ? this.y : this.yEval).get(n * this.outSize);
        native_1.native.conv2dForward(x, this.Wt, this.b, y, (t ? this.col : this.colEval).get(this.colSize(n)), dims, this.relu);
        return y;
    }
    backward(dy, n, needDx) {
        let dz = dy;
        if (this.relu) {
            dz = this.dz.get(n * this.outSize);
            native_1.native.reluBackward(this.y.get(n * this.outSize), dy, dz, false);
        }
        this.dims[0] = n;
        const dx = needDx ? this.dx.zeroed(n * this.inSize) : null;
        native_1.native.conv2dBackward(this.x, this.Wt, dz, this.dW, this.db, dx, this.col.get(this.colSize(n)), this.dims);
        return dx;
    }
}
exports.Conv2d = Conv2d;
/** 2x2-style max pooling over VALID windows. x (N,H,W,C) -> y (N,OH,OW,C). */
class MaxPool2d extends layer_1.Layer {
    inSize;
    outSize;
    dims;
    dimsEval;
    y = new layer_1.Workspace();
    yEval = new layer_1.Workspace();
    dx = new layer_1.Workspace();
    argmax = new Int32Array(0);
    argmaxEval = new Int32Array(0);
    constructor(H, W, C, size = 2, stride = size) {
        super();
        const OH = Math.floor((H - size) / stride) + 1;
        const OW = Math.floor((W - size) / stride) + 1;
        this.inSize = H * W * C;
        this.outSize = OH * OW * C;
        this.dims = Int32Array.from([0, H, W, C, size, size, stride, stride, OH, OW]);
        this.dimsEval = this.dims.slice();
    }
    forward(x, n, mode) {
        const len = n * this.outSize;
        if (mode.training) {
            this.dims[0] = n;
            if (this.argmax.length !== len)
                this.argmax = new Int32Array(len);
            const y = this.y.get(len);
            native_1.native.maxPoolForward(x, y, this.argmax, this.dims);
            return y;
        }
        this.dimsEval[0] = n;
        if (this.argmaxEval.length !== len)
            this.argmaxEval = new Int32Array(len);
        const y = this.yEval.get(len);
        native_1.native.maxPoolForward(x, y, this.argmaxEval, this.dimsEval);
        return y;
    }
    backward(dy, n, needDx) {
        if (!needDx)
            return null;
        const dx = this.dx.get(n * this.inSize);
        native_1.native.maxPoolBackward(dy, this.argmax, dx, false);
        return dx;
    }
}
exports.MaxPool2d = MaxPool2d;
