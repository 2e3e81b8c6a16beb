/* The exhaustive check behind kernels/clib.logf and clib.expf: every float32 argument through
   this C library's logf/expf and through the same double operations as the numpy code.
   gcc -O2 -ffp-contract=off -o /tmp/clib_sweep bench/clib_sweep.c -lm && /tmp/clib_sweep
   (glibc 2.36, x86-64 with FMA: "log mismatches 0, exp mismatches 2", the two arguments
   clib._EXPF_FMA leaves to the C call.) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
static float (*volatile h_expf)(float) = expf;
static float (*volatile h_logf)(float) = logf;
static const uint64_t T[32] = {0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540};
static const double INVC[16] = {0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0, 0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0, 0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1, 0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
static const double LOGC[16] = {-0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3, -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4, -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4, 0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2};
static uint32_t bits(float v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static float fl(uint32_t b) { float v; memcpy(&v, &b, 4); return v; }
static double dbl(uint64_t b) { double v; memcpy(&v, &b, 8); return v; }
static uint64_t dbits(double v) { uint64_t b; memcpy(&b, &v, 8); return b; }
static float model_log(uint32_t ix) {
  /* positive finite nonzero x only, subnormals normalised */
  if (ix < 0x00800000) { ix = bits(fl(ix) * 0x1p23f); ix -= 23u << 23; }
  uint32_t tmp = ix - 0x3f330000;
  int i = (tmp >> 19) % 16;
  int k = (int32_t)tmp >> 23;
  uint32_t iz = ix - (tmp & 0xff800000u);
  double z = (double)fl(iz);
  volatile double r = z * INVC[i]; r = r - 1.0;
  volatile double y0 = (double)k * 0x1.62e42fefa39efp-1; y0 = LOGC[i] + y0;
  volatile double r2 = r * r;
  volatile double y = -0x1.00ea348b88334p-2 * r2; 
  volatile double a = 0x1.5575b0be00b6ap-2 * r; a = a + -0x1.ffffef20a4123p-2;
  y = y + a;   /* A0*r2 + (A1*r + A2) */
  volatile double b = y0 + r;
  y = y * r2; y = y + b;
  return (float)y;
}
static float model_exp(uint32_t bx) {
  float x = fl(bx);
  double xd = x;
  volatile double z = (0x1.71547652b82fep+0 * 32) * xd;
  volatile double kd = z + 0x1.8p+52;
  uint64_t ki = dbits(kd);
  kd = kd - 0x1.8p+52;
  volatile double r = z - kd;
  uint64_t t = T[ki % 32] + (ki << 47);
  double s = dbl(t);
  volatile double zz = (0x1.c6af84b912394p-5 / 32 / 32 / 32) * r; zz = zz + 0x1.ebfce50fac4f3p-3 / 32 / 32;
  volatile double r2 = r * r;
  volatile double y = (0x1.62e42ff0c52d6p-1 / 32) * r; y = y + 1.0;
  volatile double w = zz * r2; y = w + y;
  y = y * s;
  return (float)y;
}
int main(void) {
  unsigned long lbad = 0, ebad = 0;
  for (uint64_t u = 0; u < 0x100000000ull; u++) {
    uint32_t b = (uint32_t)u;
    float x = fl(b);
    if (b >= 1 && b < 0x7f800000u && b != 0x3f800000u) {
      if (bits(h_logf(x)) != bits(model_log(b))) { if (lbad < 10) printf("log %08x\n", b); lbad++; }
    }
    uint32_t a = b & 0x7fffffffu;
    if (a < 0x7f800000u && !(x > 0x1.62e42ep6f) && !(x < -0x1.9fe368p6f)) {
      if (bits(h_expf(x)) != bits(model_exp(b))) { if (ebad < 10) printf("exp %08x\n", b); ebad++; }
    }
  }
  printf("log mismatches %lu, exp mismatches %lu\n", lbad, ebad);
  return 0;
}
