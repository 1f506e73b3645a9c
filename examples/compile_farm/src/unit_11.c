/* Unit 11 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 83, 17, 13)
MIXER(m01, 60, 36, 5)
MIXER(m02, 96, 72, 15)
MIXER(m03, 38, 26, 6)
MIXER(m04, 4, 90, 13)
MIXER(m05, 35, 27, 20)
MIXER(m06, 58, 81, 17)
MIXER(m07, 18, 39, 13)
MIXER(m08, 27, 27, 22)
MIXER(m09, 34, 91, 16)
MIXER(m10, 6, 17, 25)
MIXER(m11, 42, 15, 11)
MIXER(m12, 81, 47, 6)
MIXER(m13, 8, 28, 16)
MIXER(m14, 37, 63, 17)
MIXER(m15, 8, 31, 11)
MIXER(m16, 31, 50, 15)
MIXER(m17, 7, 92, 4)
MIXER(m18, 16, 91, 10)
MIXER(m19, 34, 11, 21)
MIXER(m20, 97, 77, 30)
MIXER(m21, 46, 35, 14)
MIXER(m22, 37, 42, 3)
MIXER(m23, 25, 33, 24)
MIXER(m24, 4, 42, 16)
MIXER(m25, 10, 96, 24)
MIXER(m26, 30, 52, 22)
MIXER(m27, 39, 65, 2)
MIXER(m28, 3, 61, 5)
MIXER(m29, 97, 13, 30)
MIXER(m30, 43, 50, 8)
MIXER(m31, 3, 92, 24)
MIXER(m32, 78, 44, 17)
MIXER(m33, 48, 43, 9)
MIXER(m34, 77, 40, 15)
MIXER(m35, 90, 4, 19)
MIXER(m36, 32, 3, 19)
MIXER(m37, 14, 32, 8)
MIXER(m38, 52, 88, 21)
MIXER(m39, 39, 96, 5)
MIXER(m40, 24, 18, 20)
MIXER(m41, 31, 59, 21)
MIXER(m42, 91, 35, 3)
MIXER(m43, 78, 62, 26)
MIXER(m44, 86, 15, 22)
MIXER(m45, 75, 63, 31)
MIXER(m46, 4, 41, 1)
MIXER(m47, 24, 80, 6)

unsigned unit_11(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 3u;
  s = m02(s) + 6u;
  s = m03(s) + 7u;
  s = m04(s) + 6u;
  s = m05(s) + 3u;
  s = m06(s) + 8u;
  s = m07(s) + 1u;
  s = m08(s) + 7u;
  s = m09(s) + 9u;
  s = m10(s) + 9u;
  s = m11(s) + 6u;
  s = m12(s) + 1u;
  s = m13(s) + 1u;
  s = m14(s) + 4u;
  s = m15(s) + 6u;
  s = m16(s) + 1u;
  s = m17(s) + 4u;
  s = m18(s) + 2u;
  s = m19(s) + 2u;
  s = m20(s) + 6u;
  s = m21(s) + 3u;
  s = m22(s) + 7u;
  s = m23(s) + 8u;
  s = m24(s) + 4u;
  s = m25(s) + 9u;
  s = m26(s) + 2u;
  s = m27(s) + 5u;
  s = m28(s) + 2u;
  s = m29(s) + 4u;
  s = m30(s) + 8u;
  s = m31(s) + 1u;
  s = m32(s) + 7u;
  s = m33(s) + 4u;
  s = m34(s) + 3u;
  s = m35(s) + 4u;
  s = m36(s) + 5u;
  s = m37(s) + 4u;
  s = m38(s) + 4u;
  s = m39(s) + 4u;
  s = m40(s) + 8u;
  s = m41(s) + 5u;
  s = m42(s) + 3u;
  s = m43(s) + 9u;
  s = m44(s) + 6u;
  s = m45(s) + 9u;
  s = m46(s) + 9u;
  s = m47(s) + 5u;
  return s;
}
