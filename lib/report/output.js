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
exports.PNG_SCALE = void 0;
exports.writeFileAtomic = writeFileAtomic;
exports.renderPng = renderPng;
exports.writeFigure = writeFigure;
// Writing report files: atomically, so an interrupted run never leaves half a file behind.
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const atomic_1 = require("../io/atomic");
const png_1 = require("./png");
const raster_1 = require("./raster");
const svg_1 = require("./svg");
/** PNG device pixels per CSS pixel: a 640 px chart becomes 1280 px wide, sharp on high-DPI screens. */
exports.PNG_SCALE = 2;
/** Writes a file atomically, creating its directory. */
function writeFileAtomic(file, data) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    (0, atomic_1.writeFileAtomic)('gemmnet', file, [typeof data === 'string' ? Buffer.from(data) : data]);
}
function renderPng(scene, scale = exports.PNG_SCALE) {
    const r = (0, raster_1.rasterize)(scene, scale);
    return (0, png_1.encodePng)(r.width, r.height, r.data);
}
/** Writes `<base>.svg` and `<base>.png`; returns their paths. */
function writeFigure(base, scene) {
    writeFileAtomic(`${base}.svg`, (0, svg_1.renderSvg)(scene));
    writeFileAtomic(`${base}.png`, renderPng(scene));
    return [`${base}.svg`, `${base}.png`];
}
