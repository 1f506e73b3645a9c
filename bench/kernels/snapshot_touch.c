/* Snapshot bench program (not a CPU kernel): touches argv[1] MiB with
   incompressible data, says so, then spins in a loop without system calls. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  size_t mib = argc > 1 ? strtoul(argv[1], 0, 10) : 1;
  size_t n = mib << 20;
  uint8_t *p = malloc(n);
  if (!p) return 1;
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < n; i += 8) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    memcpy(p + i, &x, 8);
  }
  printf("touched %zu MiB\n", mib);
  fflush(stdout);
  volatile uint64_t acc = 0;
  for (uint64_t i = 0;; i++) acc += p[(i * 4099) % n];
}
