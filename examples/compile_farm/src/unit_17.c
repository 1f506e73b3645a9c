/* Unit 17 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 29, 93, 31)
MIXER(m01, 82, 79, 20)
MIXER(m02, 19, 84, 15)
MIXER(m03, 93, 22, 29)
MIXER(m04, 94, 61, 30)
MIXER(m05, 86, 23, 3)
MIXER(m06, 92, 30, 26)
MIXER(m07, 27, 83, 22)
MIXER(m08, 66, 61, 3)
MIXER(m09, 95, 38, 23)
MIXER(m10, 21, 14, 4)
MIXER(m11, 90, 36, 14)
MIXER(m12, 31, 32, 30)
MIXER(m13, 58, 65, 3)
MIXER(m14, 62, 42, 11)
MIXER(m15, 63, 4, 31)
MIXER(m16, 6, 88, 28)
MIXER(m17, 47, 80, 31)
MIXER(m18, 60, 83, 18)
MIXER(m19, 31, 62, 3)
MIXER(m20, 74, 79, 21)
MIXER(m21, 34, 45, 26)
MIXER(m22, 53, 30, 6)
MIXER(m23, 44, 76, 28)
MIXER(m24, 28, 65, 17)
MIXER(m25, 44, 84, 18)
MIXER(m26, 72, 39, 5)
MIXER(m27, 36, 96, 23)
MIXER(m28, 36, 49, 22)
MIXER(m29, 27, 88, 2)
MIXER(m30, 20, 88, 13)
MIXER(m31, 24, 4, 11)
MIXER(m32, 19, 20, 28)
MIXER(m33, 56, 33, 11)
MIXER(m34, 34, 34, 19)
MIXER(m35, 66, 19, 17)
MIXER(m36, 86, 53, 22)
MIXER(m37, 21, 94, 20)
MIXER(m38, 41, 57, 30)
MIXER(m39, 88, 14, 9)
MIXER(m40, 22, 57, 7)
MIXER(m41, 92, 63, 25)
MIXER(m42, 22, 69, 12)
MIXER(m43, 7, 24, 10)
MIXER(m44, 59, 13, 28)
MIXER(m45, 25, 77, 4)
MIXER(m46, 5, 8, 11)
MIXER(m47, 60, 71, 21)

unsigned unit_17(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 1u;
  s = m02(s) + 5u;
  s = m03(s) + 2u;
  s = m04(s) + 6u;
  s = m05(s) + 9u;
  s = m06(s) + 8u;
  s = m07(s) + 6u;
  s = m08(s) + 3u;
  s = m09(s) + 2u;
  s = m10(s) + 2u;
  s = m11(s) + 8u;
  s = m12(s) + 8u;
  s = m13(s) + 7u;
  s = m14(s) + 4u;
  s = m15(s) + 3u;
  s = m16(s) + 5u;
  s = m17(s) + 2u;
  s = m18(s) + 7u;
  s = m19(s) + 9u;
  s = m20(s) + 8u;
  s = m21(s) + 7u;
  s = m22(s) + 6u;
  s = m23(s) + 4u;
  s = m24(s) + 2u;
  s = m25(s) + 7u;
  s = m26(s) + 9u;
  s = m27(s) + 6u;
  s = m28(s) + 6u;
  s = m29(s) + 7u;
  s = m30(s) + 5u;
  s = m31(s) + 6u;
  s = m32(s) + 6u;
  s = m33(s) + 7u;
  s = m34(s) + 5u;
  s = m35(s) + 4u;
  s = m36(s) + 2u;
  s = m37(s) + 9u;
  s = m38(s) + 1u;
  s = m39(s) + 6u;
  s = m40(s) + 1u;
  s = m41(s) + 6u;
  s = m42(s) + 7u;
  s = m43(s) + 5u;
  s = m44(s) + 1u;
  s = m45(s) + 2u;
  s = m46(s) + 7u;
  s = m47(s) + 5u;
  return s;
}
