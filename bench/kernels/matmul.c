/* Dense matrix multiply (i-k-j order), doubles. */
#include <stdlib.h>
#include "kernel.h"

#define N 320
uint64_t kernel(void) {
  double *a = malloc(N * N * sizeof *a), *b = malloc(N * N * sizeof *b), *c = calloc(N * N, sizeof *c);
  for (int i = 0; i < N * N; i++) { a[i] = (i % 7) * 0.5; b[i] = (i % 11) * 0.25; }
  for (int rep = 0; rep < 4; rep++)
    for (int i = 0; i < N; i++)
      for (int k = 0; k < N; k++) {
        double aik = a[i * N + k];
        for (int j = 0; j < N; j++) c[i * N + j] += aik * b[k * N + j];
      }
  double s = 0;
  for (int i = 0; i < N * N; i++) s += c[i];
  free(a); free(b); free(c);
  return (uint64_t)s;
}
