/* Touches MB mebibytes of memory, then computes for a long time: the
 * process the migration bench moves. Usage: touch_loop MB */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 1;
  size_t n = mb * 1024 * 1024;
  uint8_t *p = malloc(n);
  if (!p) return 1;
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 2654435761u >> 13);
  uint64_t h = 0;
  for (uint64_t r = 0; r < 4000000000ull; r++) h = h * 31 + p[(r * 4099) % n];
  printf("%llu\n", (unsigned long long)h);
  return 0;
}
