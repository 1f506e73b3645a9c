/* Unit 25 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 3, 5, 30)
MIXER(m01, 48, 58, 4)
MIXER(m02, 25, 88, 12)
MIXER(m03, 56, 54, 4)
MIXER(m04, 64, 87, 12)
MIXER(m05, 6, 29, 5)
MIXER(m06, 27, 84, 6)
MIXER(m07, 34, 16, 7)
MIXER(m08, 65, 15, 18)
MIXER(m09, 39, 3, 28)
MIXER(m10, 97, 86, 14)
MIXER(m11, 5, 16, 1)
MIXER(m12, 25, 95, 9)
MIXER(m13, 47, 60, 6)
MIXER(m14, 89, 50, 15)
MIXER(m15, 56, 34, 25)
MIXER(m16, 21, 92, 6)
MIXER(m17, 75, 20, 7)
MIXER(m18, 22, 16, 29)
MIXER(m19, 89, 80, 16)
MIXER(m20, 71, 13, 24)
MIXER(m21, 16, 61, 12)
MIXER(m22, 8, 16, 9)
MIXER(m23, 42, 38, 31)
MIXER(m24, 63, 32, 3)
MIXER(m25, 36, 84, 26)
MIXER(m26, 33, 64, 26)
MIXER(m27, 27, 28, 1)
MIXER(m28, 59, 75, 29)
MIXER(m29, 84, 35, 2)
MIXER(m30, 45, 87, 28)
MIXER(m31, 24, 80, 27)
MIXER(m32, 88, 20, 18)
MIXER(m33, 45, 97, 18)
MIXER(m34, 66, 81, 5)
MIXER(m35, 71, 93, 17)
MIXER(m36, 95, 24, 18)
MIXER(m37, 44, 68, 6)
MIXER(m38, 95, 76, 8)
MIXER(m39, 22, 63, 20)
MIXER(m40, 17, 25, 22)
MIXER(m41, 82, 94, 19)
MIXER(m42, 30, 21, 25)
MIXER(m43, 37, 59, 31)
MIXER(m44, 76, 4, 6)
MIXER(m45, 51, 27, 7)
MIXER(m46, 13, 18, 10)
MIXER(m47, 70, 89, 1)

unsigned unit_25(unsigned x) {
  unsigned s = x;
  s = m00(s) + 2u;
  s = m01(s) + 6u;
  s = m02(s) + 7u;
  s = m03(s) + 4u;
  s = m04(s) + 9u;
  s = m05(s) + 5u;
  s = m06(s) + 3u;
  s = m07(s) + 2u;
  s = m08(s) + 3u;
  s = m09(s) + 1u;
  s = m10(s) + 5u;
  s = m11(s) + 1u;
  s = m12(s) + 1u;
  s = m13(s) + 9u;
  s = m14(s) + 5u;
  s = m15(s) + 9u;
  s = m16(s) + 4u;
  s = m17(s) + 3u;
  s = m18(s) + 7u;
  s = m19(s) + 4u;
  s = m20(s) + 6u;
  s = m21(s) + 8u;
  s = m22(s) + 1u;
  s = m23(s) + 9u;
  s = m24(s) + 9u;
  s = m25(s) + 6u;
  s = m26(s) + 4u;
  s = m27(s) + 1u;
  s = m28(s) + 6u;
  s = m29(s) + 9u;
  s = m30(s) + 5u;
  s = m31(s) + 1u;
  s = m32(s) + 6u;
  s = m33(s) + 9u;
  s = m34(s) + 9u;
  s = m35(s) + 3u;
  s = m36(s) + 2u;
  s = m37(s) + 4u;
  s = m38(s) + 1u;
  s = m39(s) + 2u;
  s = m40(s) + 2u;
  s = m41(s) + 1u;
  s = m42(s) + 4u;
  s = m43(s) + 7u;
  s = m44(s) + 9u;
  s = m45(s) + 5u;
  s = m46(s) + 7u;
  s = m47(s) + 1u;
  return s;
}
