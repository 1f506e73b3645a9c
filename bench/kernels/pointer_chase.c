/* Pointer chasing: a random cyclic permutation over 16 MiB, followed. */
#include <stdlib.h>
#include "kernel.h"

#define N (4 * 1024 * 1024)
uint64_t kernel(void) {
  uint32_t *next = malloc(N * sizeof *next);
  uint32_t *perm = malloc(N * sizeof *perm);
  uint64_t x = 88172645463325252ull;
  for (uint32_t i = 0; i < N; i++) perm[i] = i;
  for (uint32_t i = N - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    uint32_t j = (uint32_t)(x % (i + 1));
    uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  for (uint32_t i = 0; i < N; i++) next[perm[i]] = perm[(i + 1) % N];
  uint64_t sum = 0;
  uint32_t p = perm[0];
  for (long step = 0; step < 4000000; step++) { p = next[p]; sum += p; }
  free(perm);
  free(next);
  return sum;
}
