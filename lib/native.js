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
Object.defineProperty(exports, "__esModule", { value: true });
exports.native = void 0;
// Loads the native addon: a local build (build/Release) when there is one, else the committed prebuild
// for this platform (prebuilds/<platform>-<arch>/). No install script is needed for either.
const path = __importStar(require("path"));
const root = path.resolve(__dirname, '..');
function load() {
    const override = process.env.GEMMNET_NATIVE;
    if (override)
        return require(path.resolve(override));
    try {
        // node-gyp-build tries build/Release, build/Debug, then prebuilds/<platform>-<arch>/.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        return require('node-gyp-build')(root);
    }
    catch (err) {
        const e = err;
        const tried = [
            path.join(root, 'build', 'Release', 'gemmnet.node'),
            path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, '*.node'),
        ];
        throw new Error(`gemmnet: could not load its native addon for ${process.platform}-${process.arch} ` +
            `(Node ${process.version}, N-API ${process.versions.napi}).\n` +
            `Tried:\n  ${tried.join('\n  ')}\n` +
            `Cause: ${e.message}\n` +
            'Prebuilt binaries ship for linux-x64 (glibc). Elsewhere, build from source: install a C++17 ' +
            'compiler, cmake and OpenBLAS (Debian/Ubuntu: apt-get install g++ cmake libopenblas-dev), ' +
            'then run `npm run build:native` in the package folder.');
    }
}
exports.native = load();
