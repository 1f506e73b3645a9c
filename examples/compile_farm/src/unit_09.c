/* Unit 09 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 96, 7, 1)
MIXER(m01, 23, 42, 31)
MIXER(m02, 87, 39, 14)
MIXER(m03, 46, 96, 17)
MIXER(m04, 44, 94, 23)
MIXER(m05, 23, 76, 16)
MIXER(m06, 71, 64, 25)
MIXER(m07, 50, 8, 8)
MIXER(m08, 3, 64, 4)
MIXER(m09, 24, 24, 28)
MIXER(m10, 33, 88, 27)
MIXER(m11, 86, 16, 13)
MIXER(m12, 85, 32, 21)
MIXER(m13, 4, 29, 22)
MIXER(m14, 77, 11, 24)
MIXER(m15, 50, 58, 19)
MIXER(m16, 31, 97, 4)
MIXER(m17, 74, 79, 18)
MIXER(m18, 90, 96, 2)
MIXER(m19, 70, 3, 5)
MIXER(m20, 10, 62, 1)
MIXER(m21, 27, 16, 6)
MIXER(m22, 59, 63, 16)
MIXER(m23, 69, 12, 1)
MIXER(m24, 82, 81, 20)
MIXER(m25, 5, 86, 29)
MIXER(m26, 67, 28, 31)
MIXER(m27, 92, 46, 7)
MIXER(m28, 71, 50, 29)
MIXER(m29, 25, 31, 13)
MIXER(m30, 7, 57, 2)
MIXER(m31, 27, 96, 28)
MIXER(m32, 53, 24, 25)
MIXER(m33, 52, 91, 7)
MIXER(m34, 19, 54, 29)
MIXER(m35, 21, 55, 31)
MIXER(m36, 38, 61, 17)
MIXER(m37, 91, 91, 28)
MIXER(m38, 14, 32, 30)
MIXER(m39, 56, 87, 29)
MIXER(m40, 94, 97, 15)
MIXER(m41, 28, 44, 19)
MIXER(m42, 94, 90, 28)
MIXER(m43, 27, 71, 27)
MIXER(m44, 49, 84, 4)
MIXER(m45, 49, 21, 21)
MIXER(m46, 26, 3, 18)
MIXER(m47, 93, 57, 31)

unsigned unit_09(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 7u;
  s = m02(s) + 8u;
  s = m03(s) + 9u;
  s = m04(s) + 1u;
  s = m05(s) + 1u;
  s = m06(s) + 8u;
  s = m07(s) + 9u;
  s = m08(s) + 4u;
  s = m09(s) + 9u;
  s = m10(s) + 7u;
  s = m11(s) + 7u;
  s = m12(s) + 5u;
  s = m13(s) + 4u;
  s = m14(s) + 9u;
  s = m15(s) + 5u;
  s = m16(s) + 6u;
  s = m17(s) + 8u;
  s = m18(s) + 5u;
  s = m19(s) + 7u;
  s = m20(s) + 4u;
  s = m21(s) + 8u;
  s = m22(s) + 5u;
  s = m23(s) + 8u;
  s = m24(s) + 4u;
  s = m25(s) + 8u;
  s = m26(s) + 2u;
  s = m27(s) + 2u;
  s = m28(s) + 2u;
  s = m29(s) + 1u;
  s = m30(s) + 5u;
  s = m31(s) + 7u;
  s = m32(s) + 2u;
  s = m33(s) + 4u;
  s = m34(s) + 8u;
  s = m35(s) + 1u;
  s = m36(s) + 4u;
  s = m37(s) + 5u;
  s = m38(s) + 7u;
  s = m39(s) + 9u;
  s = m40(s) + 4u;
  s = m41(s) + 5u;
  s = m42(s) + 1u;
  s = m43(s) + 3u;
  s = m44(s) + 7u;
  s = m45(s) + 5u;
  s = m46(s) + 3u;
  s = m47(s) + 2u;
  return s;
}
