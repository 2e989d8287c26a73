// NumPy's legacy random generator (`np.random.seed` / `RandomState`), reproduced bit for bit so a
// seeded gemmnet run draws the same splits, shuffles and initial weights as the course's NumPy code.
//
// Sources followed: numpy/random/src/mt19937 (mt19937_seed, mt19937_gen, tempering),
// numpy/random/src/distributions (random_interval, next_double) and legacy/legacy-distributions.c
// (legacy_gauss). legacy_gauss calls the C library's log(); to match NumPy on Linux x86-64 exactly,
// glibcLog below replays glibc's log (ARM optimized-routines, MIT) as glibc >= 2.28 runs it on CPUs with
// FMA, fused multiply-adds included; V8's Math.log differs from it in the last bit for ~5% of inputs.
import { describe } from './validate';

const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const N = 624;
const M = 397;
const TWO_32 = 4294967296;

/** Checks a NumPy-style seed: an integer in [0, 2^32 - 1]. */
export function checkSeed(seed: unknown, name = 'seed'): number {
  if (typeof seed !== 'number') {
    throw new TypeError(`${name} must be an integer in [0, 4294967295], got ${describe(seed)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`${name} must be an integer in [0, 4294967295], got ${seed}`);
  }
  return seed;
}

// Scratch views for bit-level work on doubles (little-endian hosts: word 0 is the low word).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LE ? 0 : 1;
const HI = LE ? 1 : 0;

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter

/** fma(a, b, c) with one rounding (Boldo & Melquiond's emulation: exact product, round-to-odd sum). */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // a*b = p + e exactly
  const th = c + p; // TwoSum(c, p)
  let z = th - c;
  const tl = c - (th - z) + (p - z);
  const s = tl + e; // TwoSum(tl, e), then round s to odd
  z = s - tl;
  const err = tl - (s - z) + (e - z);
  if (err === 0 || !Number.isFinite(p)) return th + s;
  f64[0] = s;
  if ((u32[LO] & 1) === 0) {
    if (s > 0 === err > 0) {
      if (u32[LO] === 0xffffffff) { u32[LO] = 0; u32[HI]++; } else u32[LO]++;
    } else if (u32[LO] === 0) { u32[LO] = 0xffffffff; u32[HI]--; } else u32[LO]--;
  }
  return th + f64[0];
}

// glibc's __log_data: ln2 split, polynomial for log1p(r) - r, polynomial near 1, and 128 pairs
// (1/c, log(c)) for the table reduction.
const LN2HI = 0.6931471805598903;
const LN2LO = 5.497923018708371e-14;
const A0 = -0.5000000000000001, A1 = 0.33333333331825593, A2 = -0.2499999999622955;
const A3 = 0.20000304511814496, A4 = -0.16667054827627667;
const B0 = -0.5, B1 = 0.3333333333333352, B2 = -0.24999999999998432, B3 = 0.19999999999320328;
const B4 = -0.16666666669929706, B5 = 0.14285715076560868, B6 = -0.12499997863982555;
const B7 = 0.11110712032936046, B8 = -0.10000486757818193, B9 = 0.09181994006195467;
const B10 = -0.08328363062289341;
// prettier-ignore
const LOG_TAB = new Float64Array([
  1.4504249240398293, -0.3718565645633589, 1.442253508327276, -0.36620682668944937,
  1.4341736174350004, -0.3605888069791945, 1.426183816329995, -0.3550022171419869,
  1.4182825527052965, -0.34944666968829097, 1.4104682921759335, -0.3439217713603284,
  1.4027396147468003, -0.3384271921261188, 1.3950954438932313, -0.332962831494342,
  1.3875338232485754, -0.32752794345742586, 1.3800539211058593, -0.32212257167088865,
  1.3726542695419708, -0.3167462884799761, 1.3653332798446802, -0.3113985598928366,
  1.358090204587874, -0.3060794515165526, 1.3509234892132138, -0.300788424667644,
  1.3438320840699889, -0.2955252968476998, 1.3368146974742003, -0.29028969275850613,
  1.329870114677736, -0.2850812793277555, 1.322997339161106, -0.27989987391470095,
  1.316195352741367, -0.27474526621870154, 1.3094628125672239, -0.2696169863701243,
  1.3027990455471041, -0.26451506180308115, 1.2962024229438942, -0.2594387762767383,
  1.2896726275815547, -0.2543884090981692, 1.2832080305745537, -0.24936321635129843,
  1.276807885983376, -0.24436312405975968, 1.2704714060687552, -0.23938801747897287,
  1.2641976054949482, -0.23443761696705678, 1.257985357514882, -0.22951151871518505,
  1.2518337750655457, -0.2246094963439873, 1.2457421919097305, -0.21973149037705753,
  1.2397094966625508, -0.2148770752847895, 1.2337348463589233, -0.210046029103637,
  1.2278176973028803, -0.20523836373934046, 1.2219570190618474, -0.20045368751368642,
  1.2161519732977757, -0.1956917537758045, 1.2104018095009725, -0.19095237845203883,
  1.204705805718973, -0.18623539250290833, 1.1990631185441964, -0.18154051731551135,
  1.1934733004462308, -0.1768677957431919, 1.1879350812847385, -0.17221657406412305,
  1.1824481322833125, -0.16758697765942543, 1.1770114976921955, -0.16297859687290384,
  1.1716248121809465, -0.15839151377804228, 1.1662869231674715, -0.15382513241456763,
  1.1609977486762766, -0.14927976358922024, 1.1557563220795803, -0.14475495398119165,
  1.1505619105480347, -0.14025044090817573, 1.1454138888505974, -0.1357660466685502,
  1.140311877374656, -0.1313018016355727, 1.1352550225747513, -0.12685731518763532,
  1.1302429094831266, -0.1224325737671279, 1.1252747693068048, -0.11802724521862729,
  1.1203501571039876, -0.11364127671663482, 1.1154683327680124, -0.10927434611278386,
  1.1106291463292157, -0.10492665324943573, 1.1058315813301596, -0.10059761422644442,
  1.1010752177696026, -0.09628717309055901, 1.0963597137952512, -0.09199534069557558,
  1.0916844827550398, -0.08772190036688698, 1.0870487291277784, -0.08346643613867855,
  1.082452357388312, -0.07922916827544668, 1.0778948225025884, -0.0750099004750382,
  1.0733751731601076, -0.07080805133352897, 1.068893585073351, -0.06662408085151128,
  1.0644491706655506, -0.06245745471915143, 1.0600414846328305, -0.0583080438042316,
  1.0556701316181605, -0.05417576112313327, 1.051334750556926, -0.050060547896805474,
  1.0470347288442157, -0.045962101199052086, 1.0427699229652954, -0.04188056008865715,
  1.0385395013738175, -0.03781540056183985, 1.034343418940345, -0.03376684757915882,
  1.0301811073173315, -0.029734619131772888, 1.026052043621297, -0.025718470239212365,
  1.0219561082336197, -0.021718543925430822, 1.0178926505784922, -0.01773446126981071,
  1.0138614436244586, -0.013766252464051831, 1.0098620186501341, -0.009813706322574944,
  1.0058938559734134, -0.005876555150052809, 1.00195696235014, -0.0019550499938532084,
  0.9961089923088509, 0.0038985973556009412, 0.9884170338185201, 0.011650571286395461,
  0.9808429191005297, 0.019342955478919066, 0.9733840169987446, 0.0269766014846482,
  0.9660377568876556, 0.034552359728422744, 0.9588014945307369, 0.04207121767183253,
  0.9516728569073111, 0.049533940950141186, 0.9446494635965822, 0.056941358295944156,
  0.9377288993026223, 0.06429439168346107, 0.9309091073790681, 0.0715936354946507,
  0.924187681612722, 0.07884010933776153, 0.9175626765599192, 0.08603438905970506,
  0.9110320403624034, 0.09317721180013905, 0.9045935839762024, 0.10026951462748457,
  0.8982456375922825, 0.10731170956330516, 0.8919860966782501, 0.11430473320717738,
  0.8858131121185129, 0.12124928503033061, 0.879725075760676, 0.12814583422959913,
  0.8737201372634685, 0.1349951636851756, 0.8677966405782273, 0.1417978768189414,
  0.8619528050060739, 0.14855476039031146, 0.8561872354420692, 0.1552661937658968,
  0.8504983927816893, 0.16193275688146969, 0.8448844572790304, 0.16855539792220497,
  0.8393442741575965, 0.1751343179947753, 0.8338762249349438, 0.1816702989864325,
  0.8284789320557778, 0.18816387146023317, 0.8231510800065832, 0.1946155228479256,
  0.8178913903778707, 0.20102572579389744, 0.8126984007245374, 0.2073952090795501,
  0.8075710029460227, 0.21372429840596396, 0.8025078881160415, 0.2200135945981856,
  0.7975077379364331, 0.22626374162859975, 0.792569604966373, 0.23247494747693054,
  0.7876923641254114, 0.23864766620658884, 0.7828746724940998, 0.24478265647405806,
  0.7781155388790811, 0.25088025827324145, 0.7734139557869777, 0.2569408552510595,
  0.7687687179914933, 0.26296511155101143, 0.7641790698041854, 0.2689531327189343,
  0.7596438763692399, 0.27490553924610595, 0.7551621951078668, 0.2808227248478943,
  0.7507331780216866, 0.286704979267256, 0.7463557196361751, 0.29255295645509705,
  0.7420289364869653, 0.2983670386142876, 0.7377521537065876, 0.30414734587282055,
  0.7335242966002608, 0.30989455774829366, 0.729344777457841, 0.31560871301871884,
]);

/** Natural log, bit-identical to glibc's log() on x86-64 with FMA (what NumPy calls on Linux). */
export function glibcLog(x: number): number {
  f64[0] = x;
  let hi = u32[HI] | 0;
  let lo = u32[LO];
  if (hi >= 0x3fee0000 && hi < 0x3ff10900) {
    // |x - 1| < ~1/16: a polynomial in r = x - 1, with r*r split so the leading terms are exact.
    if (hi === 0x3ff00000 && lo === 0) return 0;
    const r = x - 1;
    const r2 = r * r;
    const r3 = r * r2;
    let q = fma(r2, B9, fma(r, B8, B7));
    q = fma(r3, B10, q);
    q = fma(q, r3, fma(r2, B6, fma(r, B5, B4)));
    q = fma(q, r3, fma(r2, B3, fma(r, B2, B1)));
    const w = r * 134217728;
    const rhi = r + w - w;
    const rlo = r - rhi;
    const ww = rhi * rhi * B0;
    const h = r + ww;
    let l = r - h + ww;
    l = fma(B0 * rlo, r + rhi, l);
    return h + fma(q, r3, l);
  }
  const top = hi >>> 16;
  if (top - 0x0010 >= 0x7ff0 - 0x0010 || top < 0x0010) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if (!(x > 0)) return NaN;
    f64[0] = x * 4503599627370496; // subnormal: scale by 2^52 and take 52 off the exponent
    hi = ((u32[HI] | 0) - (52 << 20)) | 0;
    lo = u32[LO];
  }
  // x = 2^k z with z in [0x1.6p-1, 0x1.6p0); the table entry c is near z.
  const tmp = (hi - 0x3fe60000) | 0;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  u32[HI] = (hi - (tmp & 0xfff00000)) | 0;
  u32[LO] = lo;
  const z = f64[0];
  const invc = LOG_TAB[2 * i];
  const logc = LOG_TAB[2 * i + 1];
  // r = fma(z, invc, -1): the product rounds into [0.5, 2], so p - 1 is exact and one rounding remains.
  const p = z * invc;
  let t = SPLIT * z;
  const zh = t - (t - z);
  const zl = z - zh;
  t = SPLIT * invc;
  const ch = t - (t - invc);
  const cl = invc - ch;
  const r = p - 1 + (zh * ch - p + zh * cl + zl * ch + zl * cl);
  const w = k * LN2HI + logc; // k * LN2HI is exact
  const h = r + w;
  const l = fma(k, LN2LO, w - h + r);
  const r2 = r * r;
  const poly = fma(fma(r, A4, A3), r2, fma(r, A2, A1));
  return fma(r * r2, poly, fma(r2, A0, l)) + h;
}

/** MT19937's full state: the 624-word key, the position in it, and the cached second normal. */
export interface MT19937State {
  key: Uint32Array;
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

/** Any indexable array `shuffle` can permute in place. */
export interface Shuffleable {
  length: number;
  [index: number]: unknown;
}

/**
 * Mersenne Twister MT19937 with NumPy's legacy `RandomState` semantics: `new MT19937(s)` is
 * `np.random.seed(s)`, and the methods draw what the matching NumPy calls draw, in the same order.
 */
export class MT19937 {
  #key = new Uint32Array(N);
  #pos = N;
  #hasGauss = false;
  #gauss = 0;

  constructor(seed: number) {
    // mt19937_seed (init_genrand): NumPy uses it for an integer seed, not init_by_array.
    let s = checkSeed(seed) >>> 0;
    const key = this.#key;
    for (let pos = 0; pos < N; pos++) {
      key[pos] = s;
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + pos + 1) >>> 0;
    }
  }

  #generate(): void {
    const key = this.#key;
    let y: number;
    let i = 0;
    for (; i < N - M; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      y = (key[i] & UPPER_MASK) | (key[i + 1] & LOWER_MASK);
      key[i] = key[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (key[N - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
    key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.#pos = 0;
  }

  /** The generator's whole state (as NumPy's get_state()), to continue the stream later. */
  getState(): MT19937State {
    return { key: this.#key.slice(), pos: this.#pos, hasGauss: this.#hasGauss, gauss: this.#gauss };
  }

  /** Continues from a state returned by getState(). */
  setState(state: MT19937State): void {
    if (!(state?.key instanceof Uint32Array) || state.key.length !== N) {
      throw new TypeError(`MT19937.setState: key must be a Uint32Array of ${N} words`);
    }
    if (!Number.isInteger(state.pos) || state.pos < 0 || state.pos > N) {
      throw new RangeError(`MT19937.setState: pos must be an integer in [0, ${N}], got ${state.pos}`);
    }
    this.#key.set(state.key);
    this.#pos = state.pos;
    this.#hasGauss = Boolean(state.hasGauss);
    this.#gauss = Number(state.gauss);
  }

  /** Next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.#pos === N) this.#generate();
    let y = this.#key[this.#pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits: `np.random.random_sample()`. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal draw: NumPy's legacy_gauss (Marsaglia polar, second value cached). */
  gauss(): number {
    if (this.#hasGauss) {
      this.#hasGauss = false;
      const g = this.#gauss;
      this.#gauss = 0;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * glibcLog(r2)) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /**
   * `np.random.normal(0, std, n)`. Returns a new Float64Array of n draws, or fills `out` (its first n
   * entries; a Float32Array receives each draw rounded to float32) and returns it.
   */
  normal(n: number, std?: number): Float64Array;
  normal<T extends Float32Array | Float64Array>(n: number, std: number, out: T): T;
  normal(n: number, std = 1, out?: Float32Array | Float64Array): Float32Array | Float64Array {
    if (typeof n !== 'number') throw new TypeError(`n must be a non-negative integer, got ${describe(n)}`);
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
    if (typeof std !== 'number') throw new TypeError(`std must be a number, got ${describe(std)}`);
    if (!(std >= 0) || !Number.isFinite(std)) throw new RangeError(`std must be a finite number >= 0, got ${std}`);
    if (out === undefined) out = new Float64Array(n);
    else if (!(out instanceof Float32Array || out instanceof Float64Array)) {
      throw new TypeError(`out must be a Float32Array or Float64Array, got ${describe(out)}`);
    } else if (out.length < n) {
      throw new RangeError(`out has ${out.length} entries, fewer than n = ${n}`);
    }
    for (let i = 0; i < n; i++) out[i] = 0 + std * this.gauss();
    return out;
  }

  /** `np.random.uniform(low, high)` for one draw: low + (high - low) * random_sample(). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.randomSample();
  }

  /**
   * Uniform integer in [0, max] by NumPy's masked rejection (random_interval): draws are masked to
   * the smallest all-ones bit pattern covering max and redrawn while above it. max may be any safe
   * integer; above 2^32 - 1 each try takes two outputs (high word first), as NumPy's next_uint64.
   */
  randomInterval(max: number): number {
    if (typeof max !== 'number') throw new TypeError(`max must be a non-negative integer, got ${describe(max)}`);
    if (!Number.isSafeInteger(max) || max < 0) {
      throw new RangeError(`max must be a non-negative safe integer, got ${max}`);
    }
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      let mask = max;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      mask >>>= 0;
      let value: number;
      while ((value = (this.nextUint32() & mask) >>> 0) > max);
      return value;
    }
    const maskHi = 2 ** (32 - Math.clz32(Math.floor(max / TWO_32))) - 1;
    let value: number;
    do {
      const hi = this.nextUint32() & maskHi;
      value = hi * TWO_32 + this.nextUint32();
    } while (value > max);
    return value;
  }

  /** In-place Fisher-Yates shuffle of a 1-D array, as legacy `np.random.shuffle` does it. */
  shuffle<T extends Shuffleable>(array: T): T {
    if (array === null || typeof array !== 'object' || typeof array.length !== 'number') {
      throw new TypeError(`array must be an array or typed array, got ${describe(array)}`);
    }
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}
