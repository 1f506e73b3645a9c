/* Runtime test program: Ackermann's recursion (clang -O2 turns it into a
   loop around the recursive call, with a call-free path), then a long loop
   that calls a recursive function only on rare iterations. */
#include <stdint.h>
#include <stdio.h>

static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

__attribute__((noinline)) static uint64_t rare(int d, uint64_t h) {
  return d < 2 ? h + (uint64_t)d : rare(d - 1, h * 31) ^ rare(d - 2, h + 7);
}

int main(void) {
  uint64_t s = 0;
  for (int i = 0; i < 30; i++) s += (uint64_t)ack(2, 2000 + i);
  printf("ack %llu\n", (unsigned long long)s);
  fflush(stdout);
  for (uint64_t i = 0; i < 100000000ull; i++) {
    if ((s >> 24) == 0x123456789aull) s = rare(12, s);
    else s = s * 6364136223846793005ull + i;
  }
  printf("mixed %llu\n", (unsigned long long)s);
  return 0;
}
