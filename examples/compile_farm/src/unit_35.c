/* Unit 35 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 40, 79, 22)
MIXER(m01, 46, 54, 8)
MIXER(m02, 12, 24, 21)
MIXER(m03, 22, 55, 13)
MIXER(m04, 41, 24, 1)
MIXER(m05, 94, 50, 11)
MIXER(m06, 34, 63, 7)
MIXER(m07, 83, 23, 23)
MIXER(m08, 80, 45, 1)
MIXER(m09, 59, 97, 14)
MIXER(m10, 25, 16, 24)
MIXER(m11, 84, 47, 16)
MIXER(m12, 96, 10, 1)
MIXER(m13, 10, 49, 24)
MIXER(m14, 22, 84, 14)
MIXER(m15, 35, 18, 2)
MIXER(m16, 88, 31, 23)
MIXER(m17, 32, 87, 11)
MIXER(m18, 84, 53, 12)
MIXER(m19, 92, 56, 25)
MIXER(m20, 56, 77, 12)
MIXER(m21, 9, 16, 3)
MIXER(m22, 5, 38, 25)
MIXER(m23, 94, 86, 12)
MIXER(m24, 79, 20, 15)
MIXER(m25, 44, 47, 10)
MIXER(m26, 10, 32, 20)
MIXER(m27, 50, 52, 6)
MIXER(m28, 28, 9, 27)
MIXER(m29, 54, 50, 10)
MIXER(m30, 90, 28, 14)
MIXER(m31, 80, 79, 29)
MIXER(m32, 69, 47, 7)
MIXER(m33, 44, 89, 10)
MIXER(m34, 16, 12, 2)
MIXER(m35, 60, 51, 31)
MIXER(m36, 53, 81, 3)
MIXER(m37, 43, 11, 27)
MIXER(m38, 48, 26, 10)
MIXER(m39, 46, 17, 5)
MIXER(m40, 62, 30, 21)
MIXER(m41, 9, 63, 11)
MIXER(m42, 16, 18, 1)
MIXER(m43, 42, 35, 14)
MIXER(m44, 26, 27, 12)
MIXER(m45, 97, 62, 18)
MIXER(m46, 55, 11, 12)
MIXER(m47, 22, 61, 17)

unsigned unit_35(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 8u;
  s = m02(s) + 8u;
  s = m03(s) + 8u;
  s = m04(s) + 3u;
  s = m05(s) + 4u;
  s = m06(s) + 7u;
  s = m07(s) + 7u;
  s = m08(s) + 6u;
  s = m09(s) + 2u;
  s = m10(s) + 7u;
  s = m11(s) + 4u;
  s = m12(s) + 6u;
  s = m13(s) + 2u;
  s = m14(s) + 5u;
  s = m15(s) + 4u;
  s = m16(s) + 4u;
  s = m17(s) + 6u;
  s = m18(s) + 1u;
  s = m19(s) + 6u;
  s = m20(s) + 1u;
  s = m21(s) + 2u;
  s = m22(s) + 9u;
  s = m23(s) + 7u;
  s = m24(s) + 8u;
  s = m25(s) + 7u;
  s = m26(s) + 9u;
  s = m27(s) + 3u;
  s = m28(s) + 9u;
  s = m29(s) + 9u;
  s = m30(s) + 1u;
  s = m31(s) + 3u;
  s = m32(s) + 5u;
  s = m33(s) + 4u;
  s = m34(s) + 7u;
  s = m35(s) + 4u;
  s = m36(s) + 2u;
  s = m37(s) + 1u;
  s = m38(s) + 9u;
  s = m39(s) + 6u;
  s = m40(s) + 1u;
  s = m41(s) + 9u;
  s = m42(s) + 8u;
  s = m43(s) + 8u;
  s = m44(s) + 9u;
  s = m45(s) + 8u;
  s = m46(s) + 4u;
  s = m47(s) + 4u;
  return s;
}
