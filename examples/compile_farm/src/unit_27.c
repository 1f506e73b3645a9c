/* Unit 27 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 69, 8, 10)
MIXER(m01, 82, 76, 28)
MIXER(m02, 5, 60, 17)
MIXER(m03, 59, 6, 6)
MIXER(m04, 17, 29, 10)
MIXER(m05, 11, 63, 22)
MIXER(m06, 17, 5, 4)
MIXER(m07, 82, 65, 2)
MIXER(m08, 29, 68, 20)
MIXER(m09, 34, 72, 30)
MIXER(m10, 31, 58, 18)
MIXER(m11, 70, 80, 15)
MIXER(m12, 55, 43, 28)
MIXER(m13, 7, 19, 23)
MIXER(m14, 23, 29, 2)
MIXER(m15, 58, 10, 1)
MIXER(m16, 13, 42, 27)
MIXER(m17, 17, 38, 3)
MIXER(m18, 17, 84, 28)
MIXER(m19, 20, 37, 24)
MIXER(m20, 73, 64, 23)
MIXER(m21, 60, 89, 21)
MIXER(m22, 91, 60, 17)
MIXER(m23, 25, 97, 25)
MIXER(m24, 91, 18, 9)
MIXER(m25, 66, 23, 25)
MIXER(m26, 97, 62, 12)
MIXER(m27, 93, 38, 30)
MIXER(m28, 34, 13, 25)
MIXER(m29, 96, 17, 11)
MIXER(m30, 13, 76, 6)
MIXER(m31, 14, 56, 16)
MIXER(m32, 18, 12, 20)
MIXER(m33, 17, 26, 20)
MIXER(m34, 36, 74, 7)
MIXER(m35, 79, 10, 9)
MIXER(m36, 19, 43, 28)
MIXER(m37, 43, 75, 11)
MIXER(m38, 84, 70, 19)
MIXER(m39, 72, 72, 9)
MIXER(m40, 67, 4, 7)
MIXER(m41, 93, 62, 13)
MIXER(m42, 87, 46, 20)
MIXER(m43, 44, 22, 9)
MIXER(m44, 3, 43, 23)
MIXER(m45, 50, 85, 17)
MIXER(m46, 11, 71, 21)
MIXER(m47, 61, 81, 30)

unsigned unit_27(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 6u;
  s = m02(s) + 3u;
  s = m03(s) + 7u;
  s = m04(s) + 4u;
  s = m05(s) + 3u;
  s = m06(s) + 5u;
  s = m07(s) + 7u;
  s = m08(s) + 3u;
  s = m09(s) + 1u;
  s = m10(s) + 9u;
  s = m11(s) + 8u;
  s = m12(s) + 8u;
  s = m13(s) + 3u;
  s = m14(s) + 4u;
  s = m15(s) + 6u;
  s = m16(s) + 1u;
  s = m17(s) + 9u;
  s = m18(s) + 8u;
  s = m19(s) + 7u;
  s = m20(s) + 7u;
  s = m21(s) + 1u;
  s = m22(s) + 1u;
  s = m23(s) + 3u;
  s = m24(s) + 8u;
  s = m25(s) + 2u;
  s = m26(s) + 2u;
  s = m27(s) + 4u;
  s = m28(s) + 9u;
  s = m29(s) + 1u;
  s = m30(s) + 9u;
  s = m31(s) + 9u;
  s = m32(s) + 2u;
  s = m33(s) + 8u;
  s = m34(s) + 2u;
  s = m35(s) + 1u;
  s = m36(s) + 3u;
  s = m37(s) + 6u;
  s = m38(s) + 8u;
  s = m39(s) + 9u;
  s = m40(s) + 7u;
  s = m41(s) + 8u;
  s = m42(s) + 6u;
  s = m43(s) + 8u;
  s = m44(s) + 3u;
  s = m45(s) + 5u;
  s = m46(s) + 4u;
  s = m47(s) + 4u;
  return s;
}
