/* Tight loops: sieve of Eratosthenes, repeated. */
#include <stdlib.h>
#include <string.h>
#include "kernel.h"

#define N 8000000
uint64_t kernel(void) {
  unsigned char *s = malloc(N + 1);
  uint64_t total = 0;
  for (int rep = 0; rep < 6; rep++) {
    memset(s, 1, N + 1);
    s[0] = s[1] = 0;
    for (long i = 2; i * i <= N; i++)
      if (s[i])
        for (long j = i * i; j <= N; j += i) s[j] = 0;
    for (long i = 0; i <= N; i++) total += s[i];
  }
  free(s);
  return total;
}
