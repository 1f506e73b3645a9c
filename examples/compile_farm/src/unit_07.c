/* Unit 07 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 20, 33, 16)
MIXER(m01, 4, 4, 25)
MIXER(m02, 56, 32, 17)
MIXER(m03, 42, 10, 26)
MIXER(m04, 33, 7, 23)
MIXER(m05, 47, 5, 18)
MIXER(m06, 59, 60, 4)
MIXER(m07, 50, 75, 17)
MIXER(m08, 94, 77, 30)
MIXER(m09, 51, 41, 28)
MIXER(m10, 78, 90, 3)
MIXER(m11, 10, 97, 7)
MIXER(m12, 82, 52, 4)
MIXER(m13, 41, 73, 12)
MIXER(m14, 20, 61, 12)
MIXER(m15, 66, 3, 19)
MIXER(m16, 75, 61, 2)
MIXER(m17, 97, 14, 4)
MIXER(m18, 21, 50, 31)
MIXER(m19, 36, 38, 16)
MIXER(m20, 97, 18, 9)
MIXER(m21, 6, 83, 9)
MIXER(m22, 24, 83, 26)
MIXER(m23, 92, 36, 19)
MIXER(m24, 25, 79, 5)
MIXER(m25, 97, 48, 18)
MIXER(m26, 4, 61, 2)
MIXER(m27, 89, 86, 2)
MIXER(m28, 78, 55, 4)
MIXER(m29, 95, 70, 20)
MIXER(m30, 81, 76, 8)
MIXER(m31, 92, 17, 23)
MIXER(m32, 95, 90, 19)
MIXER(m33, 8, 11, 23)
MIXER(m34, 41, 86, 17)
MIXER(m35, 95, 11, 31)
MIXER(m36, 18, 54, 25)
MIXER(m37, 36, 61, 10)
MIXER(m38, 3, 44, 17)
MIXER(m39, 62, 51, 5)
MIXER(m40, 36, 43, 31)
MIXER(m41, 61, 14, 5)
MIXER(m42, 13, 84, 14)
MIXER(m43, 82, 69, 21)
MIXER(m44, 25, 28, 5)
MIXER(m45, 24, 90, 17)
MIXER(m46, 76, 47, 30)
MIXER(m47, 21, 58, 9)

unsigned unit_07(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 4u;
  s = m02(s) + 4u;
  s = m03(s) + 9u;
  s = m04(s) + 7u;
  s = m05(s) + 5u;
  s = m06(s) + 2u;
  s = m07(s) + 5u;
  s = m08(s) + 7u;
  s = m09(s) + 3u;
  s = m10(s) + 8u;
  s = m11(s) + 9u;
  s = m12(s) + 9u;
  s = m13(s) + 7u;
  s = m14(s) + 2u;
  s = m15(s) + 4u;
  s = m16(s) + 1u;
  s = m17(s) + 6u;
  s = m18(s) + 6u;
  s = m19(s) + 3u;
  s = m20(s) + 5u;
  s = m21(s) + 7u;
  s = m22(s) + 4u;
  s = m23(s) + 8u;
  s = m24(s) + 1u;
  s = m25(s) + 2u;
  s = m26(s) + 8u;
  s = m27(s) + 1u;
  s = m28(s) + 7u;
  s = m29(s) + 8u;
  s = m30(s) + 9u;
  s = m31(s) + 2u;
  s = m32(s) + 2u;
  s = m33(s) + 8u;
  s = m34(s) + 9u;
  s = m35(s) + 5u;
  s = m36(s) + 5u;
  s = m37(s) + 5u;
  s = m38(s) + 8u;
  s = m39(s) + 4u;
  s = m40(s) + 4u;
  s = m41(s) + 6u;
  s = m42(s) + 8u;
  s = m43(s) + 7u;
  s = m44(s) + 8u;
  s = m45(s) + 8u;
  s = m46(s) + 1u;
  s = m47(s) + 8u;
  return s;
}
