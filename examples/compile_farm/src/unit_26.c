/* Unit 26 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 78, 5, 22)
MIXER(m01, 32, 16, 21)
MIXER(m02, 56, 46, 29)
MIXER(m03, 87, 64, 14)
MIXER(m04, 39, 20, 15)
MIXER(m05, 31, 69, 26)
MIXER(m06, 55, 85, 23)
MIXER(m07, 63, 16, 19)
MIXER(m08, 82, 57, 23)
MIXER(m09, 40, 96, 24)
MIXER(m10, 75, 85, 31)
MIXER(m11, 14, 24, 1)
MIXER(m12, 25, 47, 30)
MIXER(m13, 89, 25, 22)
MIXER(m14, 25, 17, 4)
MIXER(m15, 34, 71, 3)
MIXER(m16, 58, 59, 20)
MIXER(m17, 66, 72, 4)
MIXER(m18, 68, 35, 28)
MIXER(m19, 92, 37, 25)
MIXER(m20, 39, 24, 24)
MIXER(m21, 73, 32, 25)
MIXER(m22, 20, 71, 11)
MIXER(m23, 93, 61, 26)
MIXER(m24, 12, 92, 3)
MIXER(m25, 67, 75, 6)
MIXER(m26, 55, 18, 14)
MIXER(m27, 48, 9, 8)
MIXER(m28, 11, 85, 19)
MIXER(m29, 96, 83, 8)
MIXER(m30, 85, 13, 2)
MIXER(m31, 27, 92, 4)
MIXER(m32, 3, 33, 4)
MIXER(m33, 87, 52, 13)
MIXER(m34, 42, 75, 19)
MIXER(m35, 50, 27, 23)
MIXER(m36, 13, 92, 20)
MIXER(m37, 67, 90, 29)
MIXER(m38, 76, 42, 22)
MIXER(m39, 28, 15, 12)
MIXER(m40, 69, 85, 9)
MIXER(m41, 41, 39, 10)
MIXER(m42, 91, 19, 8)
MIXER(m43, 89, 68, 9)
MIXER(m44, 15, 95, 7)
MIXER(m45, 47, 90, 20)
MIXER(m46, 15, 78, 14)
MIXER(m47, 31, 43, 31)

unsigned unit_26(unsigned x) {
  unsigned s = x;
  s = m00(s) + 3u;
  s = m01(s) + 6u;
  s = m02(s) + 9u;
  s = m03(s) + 1u;
  s = m04(s) + 8u;
  s = m05(s) + 2u;
  s = m06(s) + 1u;
  s = m07(s) + 2u;
  s = m08(s) + 3u;
  s = m09(s) + 8u;
  s = m10(s) + 2u;
  s = m11(s) + 7u;
  s = m12(s) + 5u;
  s = m13(s) + 2u;
  s = m14(s) + 3u;
  s = m15(s) + 6u;
  s = m16(s) + 3u;
  s = m17(s) + 4u;
  s = m18(s) + 2u;
  s = m19(s) + 2u;
  s = m20(s) + 1u;
  s = m21(s) + 2u;
  s = m22(s) + 7u;
  s = m23(s) + 1u;
  s = m24(s) + 1u;
  s = m25(s) + 4u;
  s = m26(s) + 6u;
  s = m27(s) + 7u;
  s = m28(s) + 4u;
  s = m29(s) + 1u;
  s = m30(s) + 8u;
  s = m31(s) + 7u;
  s = m32(s) + 2u;
  s = m33(s) + 1u;
  s = m34(s) + 9u;
  s = m35(s) + 8u;
  s = m36(s) + 7u;
  s = m37(s) + 2u;
  s = m38(s) + 7u;
  s = m39(s) + 9u;
  s = m40(s) + 2u;
  s = m41(s) + 7u;
  s = m42(s) + 7u;
  s = m43(s) + 1u;
  s = m44(s) + 7u;
  s = m45(s) + 8u;
  s = m46(s) + 8u;
  s = m47(s) + 7u;
  return s;
}
