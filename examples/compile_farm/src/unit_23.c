/* Unit 23 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 14, 61, 1)
MIXER(m01, 81, 64, 16)
MIXER(m02, 59, 36, 15)
MIXER(m03, 4, 7, 19)
MIXER(m04, 14, 50, 19)
MIXER(m05, 80, 42, 6)
MIXER(m06, 41, 96, 1)
MIXER(m07, 67, 51, 26)
MIXER(m08, 5, 81, 9)
MIXER(m09, 20, 26, 11)
MIXER(m10, 43, 62, 30)
MIXER(m11, 74, 93, 27)
MIXER(m12, 23, 67, 11)
MIXER(m13, 48, 16, 5)
MIXER(m14, 40, 88, 21)
MIXER(m15, 6, 72, 27)
MIXER(m16, 87, 48, 16)
MIXER(m17, 43, 67, 3)
MIXER(m18, 93, 28, 26)
MIXER(m19, 97, 68, 6)
MIXER(m20, 33, 48, 29)
MIXER(m21, 9, 16, 14)
MIXER(m22, 22, 92, 25)
MIXER(m23, 13, 36, 20)
MIXER(m24, 85, 71, 31)
MIXER(m25, 28, 96, 29)
MIXER(m26, 88, 69, 31)
MIXER(m27, 28, 17, 23)
MIXER(m28, 56, 22, 15)
MIXER(m29, 34, 52, 1)
MIXER(m30, 80, 67, 15)
MIXER(m31, 14, 65, 7)
MIXER(m32, 34, 10, 26)
MIXER(m33, 52, 78, 20)
MIXER(m34, 59, 8, 18)
MIXER(m35, 47, 89, 31)
MIXER(m36, 35, 18, 29)
MIXER(m37, 60, 84, 7)
MIXER(m38, 80, 53, 5)
MIXER(m39, 36, 41, 3)
MIXER(m40, 17, 68, 18)
MIXER(m41, 25, 51, 26)
MIXER(m42, 78, 58, 23)
MIXER(m43, 67, 56, 4)
MIXER(m44, 12, 77, 1)
MIXER(m45, 82, 17, 10)
MIXER(m46, 49, 35, 28)
MIXER(m47, 7, 58, 6)

unsigned unit_23(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 8u;
  s = m02(s) + 9u;
  s = m03(s) + 5u;
  s = m04(s) + 9u;
  s = m05(s) + 6u;
  s = m06(s) + 7u;
  s = m07(s) + 5u;
  s = m08(s) + 9u;
  s = m09(s) + 6u;
  s = m10(s) + 7u;
  s = m11(s) + 2u;
  s = m12(s) + 7u;
  s = m13(s) + 2u;
  s = m14(s) + 5u;
  s = m15(s) + 2u;
  s = m16(s) + 3u;
  s = m17(s) + 8u;
  s = m18(s) + 6u;
  s = m19(s) + 6u;
  s = m20(s) + 3u;
  s = m21(s) + 2u;
  s = m22(s) + 5u;
  s = m23(s) + 6u;
  s = m24(s) + 5u;
  s = m25(s) + 9u;
  s = m26(s) + 1u;
  s = m27(s) + 2u;
  s = m28(s) + 8u;
  s = m29(s) + 4u;
  s = m30(s) + 1u;
  s = m31(s) + 7u;
  s = m32(s) + 2u;
  s = m33(s) + 4u;
  s = m34(s) + 5u;
  s = m35(s) + 2u;
  s = m36(s) + 8u;
  s = m37(s) + 1u;
  s = m38(s) + 1u;
  s = m39(s) + 5u;
  s = m40(s) + 4u;
  s = m41(s) + 5u;
  s = m42(s) + 2u;
  s = m43(s) + 5u;
  s = m44(s) + 3u;
  s = m45(s) + 2u;
  s = m46(s) + 9u;
  s = m47(s) + 4u;
  return s;
}
