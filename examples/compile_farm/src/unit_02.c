/* Unit 02 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 6, 18, 22)
MIXER(m01, 34, 40, 2)
MIXER(m02, 53, 4, 16)
MIXER(m03, 74, 38, 8)
MIXER(m04, 7, 34, 16)
MIXER(m05, 22, 95, 10)
MIXER(m06, 66, 80, 16)
MIXER(m07, 85, 80, 29)
MIXER(m08, 5, 19, 10)
MIXER(m09, 71, 93, 11)
MIXER(m10, 96, 70, 1)
MIXER(m11, 47, 49, 22)
MIXER(m12, 7, 3, 9)
MIXER(m13, 61, 90, 30)
MIXER(m14, 90, 72, 7)
MIXER(m15, 57, 57, 20)
MIXER(m16, 52, 63, 13)
MIXER(m17, 40, 62, 27)
MIXER(m18, 41, 3, 23)
MIXER(m19, 77, 39, 21)
MIXER(m20, 42, 21, 6)
MIXER(m21, 91, 73, 29)
MIXER(m22, 45, 71, 5)
MIXER(m23, 77, 72, 26)
MIXER(m24, 11, 96, 8)
MIXER(m25, 13, 11, 22)
MIXER(m26, 45, 95, 14)
MIXER(m27, 54, 92, 16)
MIXER(m28, 18, 18, 8)
MIXER(m29, 94, 20, 10)
MIXER(m30, 22, 26, 20)
MIXER(m31, 55, 23, 3)
MIXER(m32, 8, 74, 4)
MIXER(m33, 12, 38, 2)
MIXER(m34, 54, 82, 5)
MIXER(m35, 58, 14, 11)
MIXER(m36, 65, 48, 31)
MIXER(m37, 10, 20, 23)
MIXER(m38, 22, 75, 21)
MIXER(m39, 40, 74, 18)
MIXER(m40, 36, 11, 18)
MIXER(m41, 35, 39, 17)
MIXER(m42, 33, 50, 15)
MIXER(m43, 25, 19, 23)
MIXER(m44, 86, 46, 3)
MIXER(m45, 14, 18, 17)
MIXER(m46, 33, 52, 29)
MIXER(m47, 64, 44, 4)

unsigned unit_02(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 3u;
  s = m02(s) + 9u;
  s = m03(s) + 8u;
  s = m04(s) + 5u;
  s = m05(s) + 5u;
  s = m06(s) + 9u;
  s = m07(s) + 2u;
  s = m08(s) + 5u;
  s = m09(s) + 5u;
  s = m10(s) + 8u;
  s = m11(s) + 3u;
  s = m12(s) + 9u;
  s = m13(s) + 2u;
  s = m14(s) + 1u;
  s = m15(s) + 8u;
  s = m16(s) + 4u;
  s = m17(s) + 2u;
  s = m18(s) + 7u;
  s = m19(s) + 8u;
  s = m20(s) + 8u;
  s = m21(s) + 8u;
  s = m22(s) + 7u;
  s = m23(s) + 1u;
  s = m24(s) + 5u;
  s = m25(s) + 1u;
  s = m26(s) + 2u;
  s = m27(s) + 1u;
  s = m28(s) + 2u;
  s = m29(s) + 8u;
  s = m30(s) + 3u;
  s = m31(s) + 4u;
  s = m32(s) + 7u;
  s = m33(s) + 2u;
  s = m34(s) + 1u;
  s = m35(s) + 8u;
  s = m36(s) + 6u;
  s = m37(s) + 5u;
  s = m38(s) + 9u;
  s = m39(s) + 4u;
  s = m40(s) + 4u;
  s = m41(s) + 3u;
  s = m42(s) + 7u;
  s = m43(s) + 1u;
  s = m44(s) + 1u;
  s = m45(s) + 8u;
  s = m46(s) + 8u;
  s = m47(s) + 9u;
  return s;
}
