/* Unit 19 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 3, 57, 20)
MIXER(m01, 46, 10, 20)
MIXER(m02, 85, 3, 1)
MIXER(m03, 50, 94, 27)
MIXER(m04, 55, 48, 31)
MIXER(m05, 48, 18, 18)
MIXER(m06, 47, 23, 22)
MIXER(m07, 28, 82, 28)
MIXER(m08, 68, 64, 9)
MIXER(m09, 60, 64, 20)
MIXER(m10, 35, 91, 9)
MIXER(m11, 39, 41, 17)
MIXER(m12, 88, 37, 31)
MIXER(m13, 52, 27, 16)
MIXER(m14, 41, 49, 29)
MIXER(m15, 63, 50, 21)
MIXER(m16, 79, 92, 30)
MIXER(m17, 54, 77, 23)
MIXER(m18, 71, 90, 17)
MIXER(m19, 74, 93, 10)
MIXER(m20, 84, 28, 23)
MIXER(m21, 87, 66, 12)
MIXER(m22, 8, 19, 9)
MIXER(m23, 84, 54, 28)
MIXER(m24, 78, 42, 7)
MIXER(m25, 22, 20, 14)
MIXER(m26, 44, 43, 24)
MIXER(m27, 62, 54, 7)
MIXER(m28, 49, 79, 21)
MIXER(m29, 73, 77, 1)
MIXER(m30, 89, 73, 18)
MIXER(m31, 92, 93, 27)
MIXER(m32, 56, 45, 28)
MIXER(m33, 76, 63, 30)
MIXER(m34, 28, 84, 30)
MIXER(m35, 12, 84, 27)
MIXER(m36, 91, 45, 27)
MIXER(m37, 15, 72, 16)
MIXER(m38, 70, 28, 17)
MIXER(m39, 84, 9, 27)
MIXER(m40, 77, 96, 15)
MIXER(m41, 33, 47, 26)
MIXER(m42, 7, 28, 2)
MIXER(m43, 63, 13, 13)
MIXER(m44, 18, 46, 19)
MIXER(m45, 90, 27, 19)
MIXER(m46, 25, 27, 8)
MIXER(m47, 81, 72, 25)

unsigned unit_19(unsigned x) {
  unsigned s = x;
  s = m00(s) + 9u;
  s = m01(s) + 9u;
  s = m02(s) + 5u;
  s = m03(s) + 3u;
  s = m04(s) + 6u;
  s = m05(s) + 4u;
  s = m06(s) + 7u;
  s = m07(s) + 4u;
  s = m08(s) + 6u;
  s = m09(s) + 7u;
  s = m10(s) + 9u;
  s = m11(s) + 4u;
  s = m12(s) + 4u;
  s = m13(s) + 1u;
  s = m14(s) + 9u;
  s = m15(s) + 8u;
  s = m16(s) + 9u;
  s = m17(s) + 5u;
  s = m18(s) + 7u;
  s = m19(s) + 6u;
  s = m20(s) + 8u;
  s = m21(s) + 1u;
  s = m22(s) + 8u;
  s = m23(s) + 2u;
  s = m24(s) + 2u;
  s = m25(s) + 4u;
  s = m26(s) + 3u;
  s = m27(s) + 4u;
  s = m28(s) + 1u;
  s = m29(s) + 9u;
  s = m30(s) + 9u;
  s = m31(s) + 7u;
  s = m32(s) + 1u;
  s = m33(s) + 1u;
  s = m34(s) + 8u;
  s = m35(s) + 6u;
  s = m36(s) + 4u;
  s = m37(s) + 3u;
  s = m38(s) + 8u;
  s = m39(s) + 9u;
  s = m40(s) + 9u;
  s = m41(s) + 2u;
  s = m42(s) + 3u;
  s = m43(s) + 8u;
  s = m44(s) + 4u;
  s = m45(s) + 5u;
  s = m46(s) + 7u;
  s = m47(s) + 7u;
  return s;
}
