/* Unit 01 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 54, 21, 4)
MIXER(m01, 71, 25, 21)
MIXER(m02, 46, 26, 3)
MIXER(m03, 37, 68, 26)
MIXER(m04, 67, 49, 3)
MIXER(m05, 91, 78, 22)
MIXER(m06, 42, 49, 18)
MIXER(m07, 65, 36, 25)
MIXER(m08, 46, 86, 6)
MIXER(m09, 63, 73, 25)
MIXER(m10, 44, 88, 9)
MIXER(m11, 39, 67, 21)
MIXER(m12, 47, 38, 21)
MIXER(m13, 97, 55, 12)
MIXER(m14, 91, 60, 12)
MIXER(m15, 69, 21, 17)
MIXER(m16, 28, 49, 30)
MIXER(m17, 39, 91, 3)
MIXER(m18, 24, 81, 25)
MIXER(m19, 88, 56, 10)
MIXER(m20, 84, 37, 24)
MIXER(m21, 28, 23, 19)
MIXER(m22, 82, 86, 6)
MIXER(m23, 90, 26, 21)
MIXER(m24, 63, 31, 6)
MIXER(m25, 20, 17, 11)
MIXER(m26, 64, 27, 18)
MIXER(m27, 56, 62, 12)
MIXER(m28, 87, 81, 3)
MIXER(m29, 33, 94, 29)
MIXER(m30, 3, 47, 13)
MIXER(m31, 55, 17, 23)
MIXER(m32, 50, 7, 18)
MIXER(m33, 15, 40, 18)
MIXER(m34, 46, 77, 10)
MIXER(m35, 19, 56, 14)
MIXER(m36, 50, 62, 5)
MIXER(m37, 79, 51, 19)
MIXER(m38, 28, 20, 20)
MIXER(m39, 47, 87, 1)
MIXER(m40, 16, 44, 19)
MIXER(m41, 21, 44, 21)
MIXER(m42, 57, 58, 8)
MIXER(m43, 40, 64, 23)
MIXER(m44, 52, 23, 20)
MIXER(m45, 97, 41, 16)
MIXER(m46, 56, 5, 11)
MIXER(m47, 65, 39, 5)

unsigned unit_01(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 8u;
  s = m02(s) + 8u;
  s = m03(s) + 9u;
  s = m04(s) + 6u;
  s = m05(s) + 1u;
  s = m06(s) + 5u;
  s = m07(s) + 5u;
  s = m08(s) + 1u;
  s = m09(s) + 5u;
  s = m10(s) + 8u;
  s = m11(s) + 6u;
  s = m12(s) + 6u;
  s = m13(s) + 3u;
  s = m14(s) + 6u;
  s = m15(s) + 3u;
  s = m16(s) + 8u;
  s = m17(s) + 7u;
  s = m18(s) + 9u;
  s = m19(s) + 9u;
  s = m20(s) + 1u;
  s = m21(s) + 8u;
  s = m22(s) + 4u;
  s = m23(s) + 1u;
  s = m24(s) + 1u;
  s = m25(s) + 3u;
  s = m26(s) + 1u;
  s = m27(s) + 7u;
  s = m28(s) + 4u;
  s = m29(s) + 6u;
  s = m30(s) + 5u;
  s = m31(s) + 9u;
  s = m32(s) + 5u;
  s = m33(s) + 9u;
  s = m34(s) + 6u;
  s = m35(s) + 9u;
  s = m36(s) + 3u;
  s = m37(s) + 8u;
  s = m38(s) + 2u;
  s = m39(s) + 7u;
  s = m40(s) + 9u;
  s = m41(s) + 7u;
  s = m42(s) + 8u;
  s = m43(s) + 7u;
  s = m44(s) + 5u;
  s = m45(s) + 5u;
  s = m46(s) + 5u;
  s = m47(s) + 8u;
  return s;
}
