/*
 * A program that imports a function from outside WASI ("env" "evil"): a
 * context must refuse to run it (nothing provides that import).
 *
 * Build: clang --target=wasm32-wasi -O2 -Wl,--strip-debug \
 *          -Wl,--allow-undefined tests/fuzz/evil_import.c \
 *          -o tests/fuzz/evil_import.wasm
 */

__attribute__((import_module("env"), import_name("evil"))) int evil(int);

int main(void) { return evil(1); }
