/* Recursion: naive Fibonacci and Ackermann (short frames, no loops). */
#include "kernel.h"

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
uint64_t kernel(void) {
  uint64_t s = fib(33);
  for (int i = 0; i < 20; i++) s += (uint64_t)ack(2, 1000 + i);
  return s;
}
