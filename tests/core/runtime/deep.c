/* Runtime test program: deep recursion with locals of every type live. */
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static uint64_t down(int n, int64_t k, float f, double d) {
  volatile char pad[24];
  pad[n % 24] = (char)n;
  if (n == 0) {
    uint64_t s = 0;
    for (uint64_t i = 0; i < 60000000; i++) s += i ^ (s >> 3);
    return s + (uint64_t)pad[0];
  }
  uint64_t r = down(n - 1, k * 3 + 1, f * 1.5f, d / 1.25);
  return r * 31 + (uint64_t)n + (uint64_t)k + (uint64_t)(f * 10) + (uint64_t)(d * 1000) + (uint64_t)pad[n % 24];
}

int main(void) {
  uint64_t total = 0;
  for (int rep = 0; rep < 3; rep++) total += down(2000, rep, 1.0f, 2.5);
  printf("deep %llu\n", (unsigned long long)total);
  return 0;
}
