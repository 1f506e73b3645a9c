/* Memory bandwidth: STREAM copy / scale / add / triad over 3 x 32 MiB. */
#include <stdlib.h>
#include "kernel.h"

#define N (4 * 1024 * 1024)
uint64_t kernel(void) {
  double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *c = malloc(N * sizeof *c);
  for (long i = 0; i < N; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; }
  for (int k = 0; k < 10; k++) {
    for (long i = 0; i < N; i++) c[i] = a[i];
    for (long i = 0; i < N; i++) b[i] = 3.0 * c[i];
    for (long i = 0; i < N; i++) c[i] = a[i] + b[i];
    for (long i = 0; i < N; i++) a[i] = b[i] + 3.0 * c[i];
  }
  double s = 0;
  for (long i = 0; i < N; i += 1024) s += a[i] + b[i] + c[i];
  free(a); free(b); free(c);
  return (uint64_t)s;
}
