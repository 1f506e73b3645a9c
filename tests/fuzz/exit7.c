/*
 * The smallest well-behaved WASI program: exits with status 7 and imports
 * nothing but proc_exit. Used where a test needs a module that runs.
 *
 * Build: clang --target=wasm32-wasi -O2 -Wl,--strip-debug \
 *          tests/fuzz/exit7.c -o tests/fuzz/exit7.wasm
 */

int main(void) { return 7; }
