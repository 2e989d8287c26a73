'use strict';
// The prebuilt binaries for every platform: which glibc they need (read from their ELF symbol
// version tables here, no binutils needed), which libraries, how they find their BLAS library, and
// that the one for this machine loads and reports a current OpenBLAS.
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const platforms = { 'linux-x64': 62 /* EM_X86_64 */, 'linux-arm64': 183 /* EM_AARCH64 */ };
const files = ['gemmnet.napi.glibc.node', 'libgemmnet_blas.so'];
const MAX_GLIBC = [2, 28];
// Everything else (the C++ runtime, OpenBLAS) is linked in.
const ALLOWED_NEEDED = /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|ld-linux-(x86-64|aarch64)\.so\.[12]|libgemmnet_blas\.so)$/;

// The parts of an ELF64 little-endian shared object these tests read.
function readElf(file) {
  const b = fs.readFileSync(file);
  assert.strictEqual(b.toString('latin1', 0, 4), '\x7fELF', `${file}: not ELF`);
  assert.strictEqual(b[4], 2, `${file}: not 64-bit`);
  assert.strictEqual(b[5], 1, `${file}: not little-endian`);
  const machine = b.readUInt16LE(18);
  const shoff = Number(b.readBigUInt64LE(40));
  const shentsize = b.readUInt16LE(58);
  const shnum = b.readUInt16LE(60);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 24)),
      size: Number(b.readBigUInt64LE(o + 32)),
      link: b.readUInt32LE(o + 40),
      info: b.readUInt32LE(o + 44),
    });
  }
  const str = (sec, at) => {
    const start = sec.offset + at;
    return b.toString('latin1', start, b.indexOf(0, start));
  };
  // SHT_DYNAMIC: NEEDED (1), RPATH (15), RUNPATH (29).
  const needed = [];
  const runpath = [];
  for (const dyn of sections.filter((s) => s.type === 6)) {
    const strtab = sections[dyn.link];
    for (let o = dyn.offset; o + 16 <= dyn.offset + dyn.size; o += 16) {
      const tag = Number(b.readBigInt64LE(o));
      const val = Number(b.readBigUInt64LE(o + 8));
      if (tag === 0) break;
      if (tag === 1) needed.push(str(strtab, val));
      if (tag === 15 || tag === 29) runpath.push(str(strtab, val));
    }
  }
  // SHT_GNU_verneed: for each needed library, the symbol versions it must provide.
  const versions = [];
  for (const vn of sections.filter((s) => s.type === 0x6ffffffe)) {
    const strtab = sections[vn.link];
    let o = vn.offset;
    for (let i = 0; i < vn.info; i++) {
      const cnt = b.readUInt16LE(o + 2);
      const lib = str(strtab, b.readUInt32LE(o + 4));
      let a = o + b.readUInt32LE(o + 8);
      for (let j = 0; j < cnt; j++) {
        versions.push({ lib, name: str(strtab, b.readUInt32LE(a + 8)) });
        a += b.readUInt32LE(a + 12);
      }
      const next = b.readUInt32LE(o + 12);
      if (!next) break;
      o += next;
    }
  }
  return { machine, needed, runpath, versions, size: b.length };
}

function glibcVersion(name) {
  const m = /^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$/.exec(name);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] || 0)] : null;
}
const newer = (a, b) => a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : (a[2] || 0) > (b[2] || 0);

describe('prebuilt binaries for every platform', () => {
  for (const [platform, machine] of Object.entries(platforms)) {
    describe(platform, () => {
      for (const name of files) {
        const file = path.join(root, 'prebuilds', platform, name);
        it(`${name}: built for ${platform}, needs glibc <= ${MAX_GLIBC.join('.')} and no other shared library`, function () {
          if (!fs.existsSync(file)) assert.fail(`${file} is missing: run npm run prebuild`);
          const elf = readElf(file);
          assert.strictEqual(elf.machine, machine);
          let highest = [0, 0];
          for (const v of elf.versions) {
            const ver = glibcVersion(v.name);
            if (ver && newer(ver, highest)) highest = ver;
            if (ver) assert.ok(!newer(ver, MAX_GLIBC), `${name} needs ${v.name} (from ${v.lib})`);
            else assert.ok(!/^(GLIBCXX|CXXABI|GCC)_/.test(v.name), `${name} needs ${v.name} (from ${v.lib})`);
          }
          assert.ok(highest[0] === 2, `${name}: no GLIBC symbol versions found`);
          for (const lib of elf.needed) assert.ok(ALLOWED_NEEDED.test(lib), `${name} needs ${lib}`);
          if (name.endsWith('.node')) {
            assert.ok(elf.needed.includes('libgemmnet_blas.so'));
            assert.deepStrictEqual(elf.runpath, ['$ORIGIN']);
          }
        });
      }
    });
  }

  it('all prebuilds together stay small (the installed package is at most 12 MB)', () => {
    let total = 0;
    for (const platform of Object.keys(platforms)) {
      for (const name of files) {
        const file = path.join(root, 'prebuilds', platform, name);
        if (fs.existsSync(file)) total += fs.statSync(file).size;
      }
    }
    assert.ok(total > 0);
    assert.ok(total <= 10 * 1024 * 1024, `prebuilds take ${(total / 1048576).toFixed(1)} MB`);
  });

  const here = `${process.platform}-${process.arch}`;
  it(`the ${here} prebuild loads here and reports its OpenBLAS release and kernel`, function () {
    const addon = path.join(root, 'prebuilds', here, 'gemmnet.napi.glibc.node');
    if (!fs.existsSync(addon)) this.skip();
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(require(".").buildInfo()))'], {
      cwd: root, env: { ...process.env, GEMMNET_NATIVE: addon }, encoding: 'utf8',
    });
    assert.strictEqual(r.status, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.match(info.blasVersion, /^0\.3\.(29|[3-9]\d)/);
    assert.match(info.blasConfig, /DYNAMIC_ARCH/);
    assert.ok(info.blasCore && info.blasCore.length > 0);
    assert.ok(['avx512', 'avx2', 'neon', 'scalar'].includes(info.simd), info.simd);
  });
});
