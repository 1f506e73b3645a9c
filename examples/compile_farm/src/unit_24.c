/* Unit 24 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 82, 34, 10)
MIXER(m01, 41, 26, 23)
MIXER(m02, 8, 23, 15)
MIXER(m03, 87, 49, 24)
MIXER(m04, 11, 68, 7)
MIXER(m05, 38, 30, 13)
MIXER(m06, 63, 53, 4)
MIXER(m07, 80, 6, 31)
MIXER(m08, 21, 38, 17)
MIXER(m09, 72, 3, 4)
MIXER(m10, 40, 33, 22)
MIXER(m11, 38, 22, 27)
MIXER(m12, 78, 53, 12)
MIXER(m13, 33, 16, 13)
MIXER(m14, 6, 58, 20)
MIXER(m15, 29, 39, 11)
MIXER(m16, 20, 59, 7)
MIXER(m17, 35, 81, 13)
MIXER(m18, 6, 82, 12)
MIXER(m19, 49, 17, 27)
MIXER(m20, 97, 79, 29)
MIXER(m21, 31, 80, 17)
MIXER(m22, 54, 37, 29)
MIXER(m23, 33, 82, 11)
MIXER(m24, 30, 19, 13)
MIXER(m25, 52, 68, 29)
MIXER(m26, 15, 64, 15)
MIXER(m27, 80, 88, 27)
MIXER(m28, 72, 94, 19)
MIXER(m29, 67, 25, 19)
MIXER(m30, 72, 31, 28)
MIXER(m31, 75, 87, 24)
MIXER(m32, 86, 58, 23)
MIXER(m33, 15, 90, 19)
MIXER(m34, 78, 24, 12)
MIXER(m35, 19, 6, 18)
MIXER(m36, 53, 80, 30)
MIXER(m37, 83, 77, 24)
MIXER(m38, 50, 72, 21)
MIXER(m39, 30, 96, 31)
MIXER(m40, 36, 54, 18)
MIXER(m41, 21, 49, 7)
MIXER(m42, 36, 20, 4)
MIXER(m43, 69, 17, 22)
MIXER(m44, 85, 82, 6)
MIXER(m45, 72, 44, 24)
MIXER(m46, 43, 69, 31)
MIXER(m47, 6, 55, 23)

unsigned unit_24(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 2u;
  s = m02(s) + 1u;
  s = m03(s) + 7u;
  s = m04(s) + 5u;
  s = m05(s) + 6u;
  s = m06(s) + 8u;
  s = m07(s) + 7u;
  s = m08(s) + 3u;
  s = m09(s) + 8u;
  s = m10(s) + 7u;
  s = m11(s) + 6u;
  s = m12(s) + 5u;
  s = m13(s) + 1u;
  s = m14(s) + 2u;
  s = m15(s) + 6u;
  s = m16(s) + 4u;
  s = m17(s) + 7u;
  s = m18(s) + 9u;
  s = m19(s) + 9u;
  s = m20(s) + 6u;
  s = m21(s) + 6u;
  s = m22(s) + 2u;
  s = m23(s) + 4u;
  s = m24(s) + 4u;
  s = m25(s) + 8u;
  s = m26(s) + 3u;
  s = m27(s) + 7u;
  s = m28(s) + 7u;
  s = m29(s) + 6u;
  s = m30(s) + 9u;
  s = m31(s) + 3u;
  s = m32(s) + 5u;
  s = m33(s) + 1u;
  s = m34(s) + 1u;
  s = m35(s) + 6u;
  s = m36(s) + 8u;
  s = m37(s) + 2u;
  s = m38(s) + 2u;
  s = m39(s) + 3u;
  s = m40(s) + 1u;
  s = m41(s) + 1u;
  s = m42(s) + 4u;
  s = m43(s) + 2u;
  s = m44(s) + 6u;
  s = m45(s) + 1u;
  s = m46(s) + 8u;
  s = m47(s) + 7u;
  return s;
}
