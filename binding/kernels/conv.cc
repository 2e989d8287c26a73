#include "kernels/conv.h"

#include <algorithm>
#include <vector>

#include "blas/gn_blas.h"
#include "kernels/activations.h"
#include "kernels/conv_dw.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace gn {

namespace {

// The shape of samples [n0, n1) of s.
ConvShape samples(const ConvShape& s, size_t n0, size_t n1) {
  ConvShape sub = s;
  sub.N = (int)(n1 - n0);
  return sub;
}

// Parts of the batch in the backward pass's sums (a constant, so results do not depend on threads).
constexpr size_t kBackwardParts = 8;

// Samples per block of the pool: enough output rows that a block's gemm is worth a thread, and a
// power of two no larger than kSampleBlockMax.
size_t sample_grain(const ConvShape& s) {
  const size_t rows = (size_t)s.OH * s.OW;
  size_t g = 1;
  while (g < kSampleBlockMax && g * rows < 2048) g *= 2;
  return g;
}

}  // namespace

void conv2d_forward(const float* x, const float* W, const float* b, float* y, float* col,
                    const ConvShape& s, bool relu) {
  const int K = (int)s.taps(), F = s.F;
  const size_t inPer = (size_t)s.H * s.W * s.C, rowsPer = (size_t)s.OH * s.OW;
  // Block by block of samples, so each block's col and y stay in cache from im2col through the
  // gemm to the bias and ReLU pass. The blocks are sample_grain(s) samples from the start of the
  // batch (the last one shorter): OpenBLAS's result for a row can depend on how many rows its call
  // has (at Haswell's kernels it does), so fixed blocks make a sample's output independent of the
  // batch it is in, as long as the batch starts at a multiple of the block (see conv.h).
  const size_t grain = sample_grain(s), blocks = ((size_t)s.N + grain - 1) / grain;
  parallel_for((int)blocks, [&](int blk) {
    const size_t n0 = (size_t)blk * grain, n1 = std::min((size_t)s.N, n0 + grain);
    const ConvShape sub = samples(s, n0, n1);
    float* c = col + n0 * rowsPer * K;
    float* yb = y + n0 * rowsPer * F;
    const int M = (int)sub.rows();
    im2col(x + n0 * inPer, c, sub);
    gn_sgemm(0, 0, M, F, K, 1.f, c, K, W, F, 0.f, yb, F);
    for (int m = 0; m < M; m++) {
      float* row = yb + (size_t)m * F;
      if (b)
        for (int f = 0; f < F; f++) row[f] += b[f];
      if (relu)
        for (int f = 0; f < F; f++) row[f] = row[f] < 0.f ? 0.f : row[f];  // NaN passes through
    }
  });
}

void conv2d_backward(const float* x, const float* W, const float* dy, float* dW, float* db, float* dx,
                     float* col, const ConvShape& s, const float* reluY) {
  const int M = (int)s.rows(), K = (int)s.taps(), F = s.F;
  const size_t inPer = (size_t)s.H * s.W * s.C, rowsPer = (size_t)s.OH * s.OW;
  const bool direct = dW && conv_dw_direct_ok(s);
  thread_local std::vector<float> masked;
  if (reluY && (dx || !direct)) {
    // dz itself is needed: the ReLU's backward pass into a buffer of this thread's.
    masked.resize(s.rows() * F);
    relu_backward(reluY, dy, masked.data(), s.rows() * F, false);
    dy = masked.data();
    reluY = nullptr;
  }
  if (direct) {
    // Few taps: each fixed part of the batch sums its dW and db directly (with the ReLU's mask
    // applied on the way when reluY is still given), then the parts are added in order.
    const int parts = (int)std::min<size_t>((size_t)s.N, kBackwardParts);
    const size_t per = (size_t)K * F + F, padLen = conv_dw_pad_floats(s);
    thread_local std::vector<float> partial, pads;
    partial.resize((size_t)parts * per);
    pads.resize((size_t)parts * padLen);
    float* pbase = partial.data();
    float* padBase = pads.data();
    parallel_for(parts, [&](int p) {
      const size_t n0 = (size_t)s.N * p / parts, n1 = (size_t)s.N * (p + 1) / parts;
      float* pdW = pbase + (size_t)p * per;
      conv_dw_direct(x, dy, reluY, pdW, db ? pdW + (size_t)K * F : nullptr, s, n0, n1, padBase + (size_t)p * padLen);
    });
    for (int p = 0; p < parts; p++) {
      const float* pdW = pbase + (size_t)p * per;
      for (size_t i = 0; i < (size_t)K * F; i++) dW[i] += pdW[i];
      if (db)
        for (int f = 0; f < F; f++) db[f] += pdW[(size_t)K * F + f];
    }
  } else if (dW || db) {
    // The batch is cut into a fixed number of parts (however many threads there are, so the result
    // is the same): each part lowers its samples with im2col and sums its own dW and db in a
    // scratch buffer, while its col rows are in cache; the parts are then added in order.
    const int parts = (int)std::min<size_t>((size_t)s.N, kBackwardParts);
    const size_t per = (size_t)K * F + F;
    thread_local std::vector<float> partial;
    partial.assign((size_t)parts * per, 0.f);
    float* pbase = partial.data();
    parallel_for(parts, [&](int p) {
      const size_t n0 = (size_t)s.N * p / parts, n1 = (size_t)s.N * (p + 1) / parts;
      if (n0 == n1) return;
      float* pdW = pbase + (size_t)p * per;
      float* pdb = pdW + (size_t)K * F;
      const int rows = (int)((n1 - n0) * rowsPer);
      const float* dyp = dy + n0 * rowsPer * F;
      if (dW) {
        float* c = col + n0 * rowsPer * K;
        im2col(x + n0 * inPer, c, samples(s, n0, n1));
        gn_sgemm(1, 0, K, F, rows, 1.f, c, K, dyp, F, 0.f, pdW, F);
      }
      if (db) {
        for (int m = 0; m < rows; m++) {
          const float* row = dyp + (size_t)m * F;
          for (int f = 0; f < F; f++) pdb[f] += row[f];
        }
      }
    });
    for (int p = 0; p < parts; p++) {
      const float* pdW = pbase + (size_t)p * per;
      if (dW)
        for (size_t i = 0; i < (size_t)K * F; i++) dW[i] += pdW[i];
      if (db)
        for (int f = 0; f < F; f++) db[f] += pdW[(size_t)K * F + f];
    }
  }
  if (dx) {
    // dcol = dy W^T reuses the workspace now that dW is done with im2col(x).
    gemm(false, true, M, K, F, 1.f, dy, F, W, F, 0.f, col, K);
    parallel_ranges((size_t)s.N, sample_grain(s), [&](size_t n0, size_t n1) {
      col2im(col + n0 * rowsPer * K, dx + n0 * inPer, samples(s, n0, n1));
    });
  }
}

void conv2d_forward_naive(const float* x, const float* W, const float* b, float* y, float* col,
                          const ConvShape& s, bool relu) {
  const int C = s.C, F = s.F;
  for (int n = 0; n < s.N; n++)
    for (int oh = 0; oh < s.OH; oh++)
      for (int ow = 0; ow < s.OW; ow++)
        for (int f = 0; f < F; f++) {
          double acc = b ? b[f] : 0.0;
          for (int kh = 0; kh < s.KH; kh++) {
            const int ih = oh * s.SH - s.PT + kh;
            if (ih < 0 || ih >= s.H) continue;
            for (int kw = 0; kw < s.KW; kw++) {
              const int iw = ow * s.SW - s.PL + kw;
              if (iw < 0 || iw >= s.W) continue;
              for (int c = 0; c < C; c++)
                acc += (double)x[(((size_t)n * s.H + ih) * s.W + iw) * C + c] *
                       W[(((size_t)kh * s.KW + kw) * C + c) * F + f];
            }
          }
          const float v = (float)acc;
          y[(((size_t)n * s.OH + oh) * s.OW + ow) * F + f] = relu && v < 0.f ? 0.f : v;
        }
}

void conv2d_backward_naive(const float* x, const float* W, const float* dy, float* dW, float* db,
                           float* dx, float* col, const ConvShape& s, const float* reluY) {
  const int C = s.C, F = s.F;
  std::vector<float> masked;
  if (reluY) {
    masked.resize(s.rows() * F);
    for (size_t i = 0; i < masked.size(); i++) masked[i] = reluY[i] > 0.f ? dy[i] : 0.f;
    dy = masked.data();
  }
  auto DY = [&](int n, int oh, int ow, int f) { return (double)dy[(((size_t)n * s.OH + oh) * s.OW + ow) * F + f]; };
  if (db)
    for (int f = 0; f < F; f++) {
      double acc = 0;
      for (int n = 0; n < s.N; n++)
        for (int oh = 0; oh < s.OH; oh++)
          for (int ow = 0; ow < s.OW; ow++) acc += DY(n, oh, ow, f);
      db[f] += (float)acc;
    }
  // dW[kh,kw,c,f] = sum over output pixels of x at the tap times dy.
  if (dW)
    for (int kh = 0; kh < s.KH; kh++)
      for (int kw = 0; kw < s.KW; kw++)
        for (int c = 0; c < C; c++)
          for (int f = 0; f < F; f++) {
            double acc = 0;
            for (int n = 0; n < s.N; n++)
              for (int oh = 0; oh < s.OH; oh++) {
                const int ih = oh * s.SH - s.PT + kh;
                if (ih < 0 || ih >= s.H) continue;
                for (int ow = 0; ow < s.OW; ow++) {
                  const int iw = ow * s.SW - s.PL + kw;
                  if (iw < 0 || iw >= s.W) continue;
                  acc += (double)x[(((size_t)n * s.H + ih) * s.W + iw) * C + c] * DY(n, oh, ow, f);
                }
              }
            dW[(((size_t)kh * s.KW + kw) * C + c) * F + f] += (float)acc;
          }
  // dx gathered per input pixel (the opposite formulation to col2im's scatter): every (kh, kw)
  // whose output position oh = (ih + PT - kh) / SH lands on the stride grid and inside the output.
  if (dx)
    for (int n = 0; n < s.N; n++)
      for (int ih = 0; ih < s.H; ih++)
        for (int iw = 0; iw < s.W; iw++)
          for (int c = 0; c < C; c++) {
            double acc = 0;
            for (int kh = 0; kh < s.KH; kh++) {
              const int th = ih + s.PT - kh;
              if (th < 0 || th % s.SH) continue;
              const int oh = th / s.SH;
              if (oh >= s.OH) continue;
              for (int kw = 0; kw < s.KW; kw++) {
                const int tw = iw + s.PL - kw;
                if (tw < 0 || tw % s.SW) continue;
                const int ow = tw / s.SW;
                if (ow >= s.OW) continue;
                for (int f = 0; f < F; f++)
                  acc += (double)W[(((size_t)kh * s.KW + kw) * C + c) * F + f] * DY(n, oh, ow, f);
              }
            }
            dx[(((size_t)n * s.H + ih) * s.W + iw) * C + c] += (float)acc;
          }
}

}  // namespace gn
