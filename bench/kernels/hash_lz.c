/* Hash + compression: FNV-1a over a buffer, then a greedy LZ77 pass. */
#include <stdlib.h>
#include <string.h>
#include "kernel.h"

#define N (4 * 1024 * 1024)
#define HBITS 15
static uint32_t lz_compress(const uint8_t *in, int n, uint8_t *out) {
  static int32_t table[1 << HBITS];
  memset(table, -1, sizeof table);
  uint32_t o = 0;
  int i = 0;
  while (i + 4 <= n) {
    uint32_t v;
    memcpy(&v, in + i, 4);
    uint32_t h = (v * 2654435761u) >> (32 - HBITS);
    int32_t cand = table[h];
    table[h] = i;
    if (cand >= 0 && i - cand < 65536 && memcmp(in + cand, in + i, 4) == 0) {
      int len = 4;
      while (i + len < n && len < 255 && in[cand + len] == in[i + len]) len++;
      out[o++] = 0xff; out[o++] = (uint8_t)len;
      out[o++] = (uint8_t)(i - cand); out[o++] = (uint8_t)((i - cand) >> 8);
      i += len;
    } else {
      out[o++] = in[i++];
    }
  }
  while (i < n) out[o++] = in[i++];
  return o;
}
uint64_t kernel(void) {
  uint8_t *buf = malloc(N), *out = malloc(2 * N);
  uint64_t x = 12345;
  for (int i = 0; i < N; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    buf[i] = (uint8_t)("abcdefgh"[(x >> 60) & 7] + ((x >> 33) % 3 == 0 ? (x >> 40) & 15 : 0));
  }
  uint64_t h = 1469598103934665603ull;
  for (int r = 0; r < 8; r++)
    for (int i = 0; i < N; i++) { h ^= buf[i]; h *= 1099511628211ull; }
  uint64_t total = 0;
  for (int r = 0; r < 3; r++) total += lz_compress(buf, N, out);
  free(buf); free(out);
  return h ^ total;
}
