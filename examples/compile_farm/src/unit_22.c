/* Unit 22 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 42, 4, 24)
MIXER(m01, 78, 8, 15)
MIXER(m02, 80, 39, 3)
MIXER(m03, 52, 84, 25)
MIXER(m04, 11, 13, 11)
MIXER(m05, 96, 39, 1)
MIXER(m06, 60, 83, 27)
MIXER(m07, 60, 92, 29)
MIXER(m08, 27, 30, 24)
MIXER(m09, 79, 69, 12)
MIXER(m10, 73, 46, 26)
MIXER(m11, 67, 14, 29)
MIXER(m12, 67, 37, 5)
MIXER(m13, 86, 45, 1)
MIXER(m14, 85, 42, 30)
MIXER(m15, 75, 47, 11)
MIXER(m16, 64, 67, 29)
MIXER(m17, 55, 43, 24)
MIXER(m18, 92, 5, 13)
MIXER(m19, 95, 13, 19)
MIXER(m20, 56, 4, 15)
MIXER(m21, 20, 18, 12)
MIXER(m22, 85, 25, 16)
MIXER(m23, 97, 9, 3)
MIXER(m24, 38, 91, 26)
MIXER(m25, 45, 91, 26)
MIXER(m26, 75, 88, 28)
MIXER(m27, 14, 73, 22)
MIXER(m28, 36, 95, 25)
MIXER(m29, 16, 15, 29)
MIXER(m30, 8, 52, 28)
MIXER(m31, 4, 62, 6)
MIXER(m32, 78, 64, 4)
MIXER(m33, 28, 4, 18)
MIXER(m34, 22, 82, 7)
MIXER(m35, 16, 64, 1)
MIXER(m36, 11, 8, 27)
MIXER(m37, 16, 17, 16)
MIXER(m38, 92, 91, 8)
MIXER(m39, 22, 83, 17)
MIXER(m40, 87, 80, 20)
MIXER(m41, 7, 61, 24)
MIXER(m42, 54, 15, 19)
MIXER(m43, 45, 92, 8)
MIXER(m44, 67, 59, 4)
MIXER(m45, 29, 4, 30)
MIXER(m46, 88, 52, 22)
MIXER(m47, 31, 47, 27)

unsigned unit_22(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 2u;
  s = m02(s) + 8u;
  s = m03(s) + 2u;
  s = m04(s) + 5u;
  s = m05(s) + 2u;
  s = m06(s) + 2u;
  s = m07(s) + 4u;
  s = m08(s) + 2u;
  s = m09(s) + 7u;
  s = m10(s) + 3u;
  s = m11(s) + 5u;
  s = m12(s) + 3u;
  s = m13(s) + 9u;
  s = m14(s) + 6u;
  s = m15(s) + 6u;
  s = m16(s) + 4u;
  s = m17(s) + 9u;
  s = m18(s) + 2u;
  s = m19(s) + 9u;
  s = m20(s) + 1u;
  s = m21(s) + 7u;
  s = m22(s) + 1u;
  s = m23(s) + 9u;
  s = m24(s) + 2u;
  s = m25(s) + 7u;
  s = m26(s) + 7u;
  s = m27(s) + 9u;
  s = m28(s) + 9u;
  s = m29(s) + 8u;
  s = m30(s) + 4u;
  s = m31(s) + 5u;
  s = m32(s) + 1u;
  s = m33(s) + 5u;
  s = m34(s) + 4u;
  s = m35(s) + 5u;
  s = m36(s) + 4u;
  s = m37(s) + 7u;
  s = m38(s) + 3u;
  s = m39(s) + 5u;
  s = m40(s) + 8u;
  s = m41(s) + 7u;
  s = m42(s) + 1u;
  s = m43(s) + 2u;
  s = m44(s) + 6u;
  s = m45(s) + 9u;
  s = m46(s) + 1u;
  s = m47(s) + 5u;
  return s;
}
