/* Unit 13 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 8, 21, 22)
MIXER(m01, 15, 59, 10)
MIXER(m02, 72, 31, 11)
MIXER(m03, 26, 8, 14)
MIXER(m04, 52, 3, 4)
MIXER(m05, 70, 94, 13)
MIXER(m06, 15, 3, 11)
MIXER(m07, 74, 62, 5)
MIXER(m08, 49, 73, 28)
MIXER(m09, 38, 13, 14)
MIXER(m10, 69, 3, 15)
MIXER(m11, 42, 97, 31)
MIXER(m12, 15, 42, 17)
MIXER(m13, 34, 57, 4)
MIXER(m14, 77, 33, 21)
MIXER(m15, 82, 52, 17)
MIXER(m16, 89, 89, 22)
MIXER(m17, 69, 69, 12)
MIXER(m18, 21, 93, 1)
MIXER(m19, 18, 82, 13)
MIXER(m20, 4, 89, 15)
MIXER(m21, 74, 32, 29)
MIXER(m22, 66, 36, 7)
MIXER(m23, 65, 64, 9)
MIXER(m24, 37, 13, 20)
MIXER(m25, 40, 94, 14)
MIXER(m26, 88, 62, 30)
MIXER(m27, 88, 25, 2)
MIXER(m28, 57, 69, 27)
MIXER(m29, 29, 47, 8)
MIXER(m30, 69, 57, 6)
MIXER(m31, 60, 85, 16)
MIXER(m32, 59, 23, 28)
MIXER(m33, 64, 17, 29)
MIXER(m34, 41, 12, 15)
MIXER(m35, 88, 49, 27)
MIXER(m36, 12, 68, 9)
MIXER(m37, 42, 90, 17)
MIXER(m38, 47, 50, 12)
MIXER(m39, 31, 51, 17)
MIXER(m40, 50, 80, 9)
MIXER(m41, 55, 31, 20)
MIXER(m42, 94, 6, 11)
MIXER(m43, 15, 28, 30)
MIXER(m44, 70, 81, 29)
MIXER(m45, 88, 95, 4)
MIXER(m46, 27, 50, 8)
MIXER(m47, 17, 75, 2)

unsigned unit_13(unsigned x) {
  unsigned s = x;
  s = m00(s) + 2u;
  s = m01(s) + 3u;
  s = m02(s) + 6u;
  s = m03(s) + 7u;
  s = m04(s) + 5u;
  s = m05(s) + 2u;
  s = m06(s) + 5u;
  s = m07(s) + 3u;
  s = m08(s) + 5u;
  s = m09(s) + 7u;
  s = m10(s) + 8u;
  s = m11(s) + 8u;
  s = m12(s) + 2u;
  s = m13(s) + 2u;
  s = m14(s) + 9u;
  s = m15(s) + 4u;
  s = m16(s) + 8u;
  s = m17(s) + 4u;
  s = m18(s) + 1u;
  s = m19(s) + 7u;
  s = m20(s) + 6u;
  s = m21(s) + 6u;
  s = m22(s) + 4u;
  s = m23(s) + 2u;
  s = m24(s) + 9u;
  s = m25(s) + 1u;
  s = m26(s) + 1u;
  s = m27(s) + 4u;
  s = m28(s) + 3u;
  s = m29(s) + 2u;
  s = m30(s) + 4u;
  s = m31(s) + 3u;
  s = m32(s) + 6u;
  s = m33(s) + 8u;
  s = m34(s) + 6u;
  s = m35(s) + 4u;
  s = m36(s) + 6u;
  s = m37(s) + 1u;
  s = m38(s) + 3u;
  s = m39(s) + 7u;
  s = m40(s) + 7u;
  s = m41(s) + 3u;
  s = m42(s) + 1u;
  s = m43(s) + 7u;
  s = m44(s) + 8u;
  s = m45(s) + 7u;
  s = m46(s) + 7u;
  s = m47(s) + 7u;
  return s;
}
