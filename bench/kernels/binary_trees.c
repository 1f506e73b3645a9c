/* Allocation + recursion: binary trees built, checked and freed. */
#include <stdlib.h>
#include "kernel.h"

typedef struct node { struct node *l, *r; } node;
static node *make(int d) {
  node *n = malloc(sizeof *n);
  if (d > 0) { n->l = make(d - 1); n->r = make(d - 1); } else n->l = n->r = 0;
  return n;
}
static long check(node *n) { return n->l ? 1 + check(n->l) + check(n->r) : 1; }
static void drop(node *n) { if (n->l) { drop(n->l); drop(n->r); } free(n); }
uint64_t kernel(void) {
  uint64_t s = 0;
  for (int d = 4; d <= 16; d += 2) {
    int iters = 1 << (16 - d + 4);
    for (int i = 0; i < iters; i++) { node *t = make(d); s += check(t); drop(t); }
  }
  return s;
}
