/* Shared by the bench kernels: CPU time of the kernel itself (robust on a
   loaded machine), printed with a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t kernel(void);

int main(void) {
  uint64_t t0 = now_ns();
  uint64_t sum = kernel();
  uint64_t t1 = now_ns();
  printf("checksum %llu\nns %llu\n", (unsigned long long)sum,
         (unsigned long long)(t1 - t0));
  return 0;
}
