/* Runtime test program: a long deterministic computation with output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t h, uint64_t v) { h ^= v; h *= 0x100000001b3ULL; return h ^ (h >> 29); }
static uint64_t walk(int n, uint64_t h) { return n == 0 ? h : walk(n - 1, mix(h, (uint64_t)n)) + 1; }
static double harmonic(int n) { double s = 0; for (int i = 1; i <= n; i++) s += 1.0 / i; return s; }

int main(void) {
  uint64_t h = 1469598103934665603ULL;
  uint32_t *buf = malloc(4 << 20);
  for (int i = 0; i < (1 << 20); i++) buf[i] = (uint32_t)i * 2654435761u;
  for (int r = 0; r < 400; r++) {
    for (int i = r; i < (1 << 20); i += 5) { h = mix(h, buf[i]); buf[i] ^= (uint32_t)h; }
    h = mix(h, walk(200 + r, h));
    h = mix(h, (uint64_t)(harmonic(2000 + r) * 1e9));
    if (r % 50 == 0) printf("round %d %016llx\n", r, (unsigned long long)h);
  }
  printf("final %016llx\n", (unsigned long long)h);
  free(buf);
  return 0;
}
