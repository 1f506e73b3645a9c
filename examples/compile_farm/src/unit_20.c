/* Unit 20 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 26, 61, 13)
MIXER(m01, 86, 94, 28)
MIXER(m02, 88, 57, 22)
MIXER(m03, 81, 10, 24)
MIXER(m04, 54, 13, 7)
MIXER(m05, 96, 80, 10)
MIXER(m06, 36, 69, 9)
MIXER(m07, 90, 85, 22)
MIXER(m08, 11, 20, 4)
MIXER(m09, 79, 45, 4)
MIXER(m10, 76, 17, 20)
MIXER(m11, 82, 96, 3)
MIXER(m12, 6, 96, 10)
MIXER(m13, 36, 75, 9)
MIXER(m14, 35, 46, 24)
MIXER(m15, 36, 70, 23)
MIXER(m16, 16, 20, 18)
MIXER(m17, 39, 71, 15)
MIXER(m18, 92, 6, 30)
MIXER(m19, 75, 63, 4)
MIXER(m20, 26, 93, 9)
MIXER(m21, 38, 53, 25)
MIXER(m22, 72, 54, 29)
MIXER(m23, 52, 11, 15)
MIXER(m24, 94, 8, 14)
MIXER(m25, 14, 40, 11)
MIXER(m26, 85, 7, 24)
MIXER(m27, 48, 47, 12)
MIXER(m28, 70, 55, 3)
MIXER(m29, 27, 39, 12)
MIXER(m30, 15, 87, 19)
MIXER(m31, 25, 11, 25)
MIXER(m32, 49, 7, 2)
MIXER(m33, 13, 17, 30)
MIXER(m34, 50, 20, 3)
MIXER(m35, 24, 97, 10)
MIXER(m36, 31, 29, 2)
MIXER(m37, 62, 35, 25)
MIXER(m38, 96, 65, 18)
MIXER(m39, 78, 79, 29)
MIXER(m40, 71, 24, 5)
MIXER(m41, 85, 24, 10)
MIXER(m42, 97, 29, 16)
MIXER(m43, 26, 65, 31)
MIXER(m44, 36, 22, 26)
MIXER(m45, 52, 71, 15)
MIXER(m46, 46, 81, 24)
MIXER(m47, 24, 69, 2)

unsigned unit_20(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 2u;
  s = m02(s) + 9u;
  s = m03(s) + 7u;
  s = m04(s) + 8u;
  s = m05(s) + 7u;
  s = m06(s) + 6u;
  s = m07(s) + 8u;
  s = m08(s) + 9u;
  s = m09(s) + 3u;
  s = m10(s) + 1u;
  s = m11(s) + 7u;
  s = m12(s) + 2u;
  s = m13(s) + 1u;
  s = m14(s) + 8u;
  s = m15(s) + 8u;
  s = m16(s) + 5u;
  s = m17(s) + 5u;
  s = m18(s) + 3u;
  s = m19(s) + 6u;
  s = m20(s) + 5u;
  s = m21(s) + 1u;
  s = m22(s) + 3u;
  s = m23(s) + 3u;
  s = m24(s) + 7u;
  s = m25(s) + 2u;
  s = m26(s) + 1u;
  s = m27(s) + 9u;
  s = m28(s) + 3u;
  s = m29(s) + 4u;
  s = m30(s) + 7u;
  s = m31(s) + 6u;
  s = m32(s) + 6u;
  s = m33(s) + 1u;
  s = m34(s) + 3u;
  s = m35(s) + 8u;
  s = m36(s) + 1u;
  s = m37(s) + 2u;
  s = m38(s) + 3u;
  s = m39(s) + 1u;
  s = m40(s) + 2u;
  s = m41(s) + 5u;
  s = m42(s) + 4u;
  s = m43(s) + 7u;
  s = m44(s) + 9u;
  s = m45(s) + 9u;
  s = m46(s) + 4u;
  s = m47(s) + 4u;
  return s;
}
