/* Count the primes in [LO, HI) by trial division: a CPU-bound job for the
 * cluster demo. Usage: primes LO HI */
#include <stdio.h>
#include <stdlib.h>

static int is_prime(unsigned long n) {
  if (n < 2) return 0;
  if (n % 2 == 0) return n == 2;
  for (unsigned long d = 3; d * d <= n; d += 2)
    if (n % d == 0) return 0;
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: primes LO HI\n");
    return 2;
  }
  unsigned long lo = strtoul(argv[1], NULL, 10), hi = strtoul(argv[2], NULL, 10);
  unsigned long count = 0;
  for (unsigned long n = lo; n < hi; n++) count += is_prime(n);
  printf("primes in [%lu,%lu): %lu\n", lo, hi, count);
  return 0;
}
