"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.saveSafetensors = exports.loadSafetensors = exports.readCheckpoint = exports.saveModel = exports.loadModel = exports.load = exports.MT19937 = exports.train = exports.adam = exports.momentum = exports.Network = exports.CNN = exports.cnn = exports.MLP = exports.mlp = exports.gradCE = exports.averageCE = exports.computeLayer = exports.softmax = exports.relu = void 0;
exports.buildInfo = buildInfo;
exports.setThreads = setThreads;
// gemmnet: neural networks in Node.js on OpenBLAS sgemm and SIMD kernels.
const native_1 = require("./native");
const check = __importStar(require("./validate"));
var seed_1 = require("./seed");
Object.defineProperty(exports, "relu", { enumerable: true, get: function () { return seed_1.relu; } });
Object.defineProperty(exports, "softmax", { enumerable: true, get: function () { return seed_1.softmax; } });
Object.defineProperty(exports, "computeLayer", { enumerable: true, get: function () { return seed_1.computeLayer; } });
Object.defineProperty(exports, "averageCE", { enumerable: true, get: function () { return seed_1.averageCE; } });
Object.defineProperty(exports, "gradCE", { enumerable: true, get: function () { return seed_1.gradCE; } });
var mlp_1 = require("./mlp");
Object.defineProperty(exports, "mlp", { enumerable: true, get: function () { return mlp_1.mlp; } });
Object.defineProperty(exports, "MLP", { enumerable: true, get: function () { return mlp_1.MLP; } });
var cnn_1 = require("./cnn");
Object.defineProperty(exports, "cnn", { enumerable: true, get: function () { return cnn_1.cnn; } });
Object.defineProperty(exports, "CNN", { enumerable: true, get: function () { return cnn_1.CNN; } });
var network_1 = require("./network");
Object.defineProperty(exports, "Network", { enumerable: true, get: function () { return network_1.Network; } });
var optim_1 = require("./optim");
Object.defineProperty(exports, "momentum", { enumerable: true, get: function () { return optim_1.momentum; } });
Object.defineProperty(exports, "adam", { enumerable: true, get: function () { return optim_1.adam; } });
var train_1 = require("./train");
Object.defineProperty(exports, "train", { enumerable: true, get: function () { return train_1.train; } });
var random_1 = require("./random");
Object.defineProperty(exports, "MT19937", { enumerable: true, get: function () { return random_1.MT19937; } });
var io_1 = require("./io");
Object.defineProperty(exports, "load", { enumerable: true, get: function () { return io_1.loadModel; } });
Object.defineProperty(exports, "loadModel", { enumerable: true, get: function () { return io_1.loadModel; } });
Object.defineProperty(exports, "saveModel", { enumerable: true, get: function () { return io_1.saveModel; } });
Object.defineProperty(exports, "readCheckpoint", { enumerable: true, get: function () { return io_1.readCheckpoint; } });
Object.defineProperty(exports, "loadSafetensors", { enumerable: true, get: function () { return io_1.loadSafetensors; } });
Object.defineProperty(exports, "saveSafetensors", { enumerable: true, get: function () { return io_1.saveSafetensors; } });
__exportStar(require("./data"), exports);
/** What the loaded binary is and what it chose on this CPU. */
function buildInfo() {
    return native_1.native.buildInfo();
}
/** Sets the number of threads the BLAS uses. */
function setThreads(n) {
    native_1.native.setThreads(check.integer('threads', n, 1, 256));
}
