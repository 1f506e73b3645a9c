/* A fixed amount of CPU-bound work, timed with the local monotonic clock
 * from after a line arrives on stdin (so the bench can move it first).
 * Usage: cpu_work ITERATIONS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000000ull;
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 1;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  uint64_t x = 0x9e3779b97f4a7c15ull;
  for (uint64_t i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%llu %.3f\n", (unsigned long long)(x & 0xffff),
         (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
