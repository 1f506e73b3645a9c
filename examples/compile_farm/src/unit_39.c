/* Unit 39 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 57, 55, 6)
MIXER(m01, 34, 78, 13)
MIXER(m02, 13, 93, 21)
MIXER(m03, 35, 52, 7)
MIXER(m04, 24, 44, 10)
MIXER(m05, 28, 89, 26)
MIXER(m06, 96, 54, 7)
MIXER(m07, 18, 70, 14)
MIXER(m08, 67, 21, 31)
MIXER(m09, 81, 56, 31)
MIXER(m10, 33, 77, 28)
MIXER(m11, 82, 81, 9)
MIXER(m12, 51, 81, 30)
MIXER(m13, 15, 16, 4)
MIXER(m14, 3, 22, 20)
MIXER(m15, 60, 65, 28)
MIXER(m16, 11, 13, 5)
MIXER(m17, 33, 25, 17)
MIXER(m18, 86, 27, 27)
MIXER(m19, 57, 15, 27)
MIXER(m20, 50, 20, 27)
MIXER(m21, 16, 17, 1)
MIXER(m22, 64, 64, 11)
MIXER(m23, 9, 79, 16)
MIXER(m24, 25, 43, 1)
MIXER(m25, 52, 96, 8)
MIXER(m26, 78, 48, 22)
MIXER(m27, 70, 46, 10)
MIXER(m28, 7, 25, 2)
MIXER(m29, 14, 80, 2)
MIXER(m30, 33, 11, 7)
MIXER(m31, 36, 44, 14)
MIXER(m32, 23, 45, 15)
MIXER(m33, 71, 51, 9)
MIXER(m34, 93, 55, 22)
MIXER(m35, 46, 83, 2)
MIXER(m36, 58, 27, 29)
MIXER(m37, 26, 97, 4)
MIXER(m38, 79, 89, 25)
MIXER(m39, 77, 45, 26)
MIXER(m40, 23, 32, 31)
MIXER(m41, 14, 51, 10)
MIXER(m42, 14, 63, 17)
MIXER(m43, 21, 21, 15)
MIXER(m44, 61, 77, 15)
MIXER(m45, 4, 17, 21)
MIXER(m46, 31, 85, 13)
MIXER(m47, 12, 11, 10)

unsigned unit_39(unsigned x) {
  unsigned s = x;
  s = m00(s) + 2u;
  s = m01(s) + 6u;
  s = m02(s) + 4u;
  s = m03(s) + 3u;
  s = m04(s) + 4u;
  s = m05(s) + 4u;
  s = m06(s) + 9u;
  s = m07(s) + 9u;
  s = m08(s) + 8u;
  s = m09(s) + 2u;
  s = m10(s) + 9u;
  s = m11(s) + 1u;
  s = m12(s) + 2u;
  s = m13(s) + 5u;
  s = m14(s) + 4u;
  s = m15(s) + 6u;
  s = m16(s) + 1u;
  s = m17(s) + 8u;
  s = m18(s) + 9u;
  s = m19(s) + 1u;
  s = m20(s) + 6u;
  s = m21(s) + 1u;
  s = m22(s) + 5u;
  s = m23(s) + 8u;
  s = m24(s) + 5u;
  s = m25(s) + 2u;
  s = m26(s) + 9u;
  s = m27(s) + 2u;
  s = m28(s) + 7u;
  s = m29(s) + 3u;
  s = m30(s) + 6u;
  s = m31(s) + 5u;
  s = m32(s) + 8u;
  s = m33(s) + 1u;
  s = m34(s) + 5u;
  s = m35(s) + 3u;
  s = m36(s) + 3u;
  s = m37(s) + 2u;
  s = m38(s) + 5u;
  s = m39(s) + 9u;
  s = m40(s) + 5u;
  s = m41(s) + 7u;
  s = m42(s) + 9u;
  s = m43(s) + 6u;
  s = m44(s) + 6u;
  s = m45(s) + 1u;
  s = m46(s) + 8u;
  s = m47(s) + 9u;
  return s;
}
