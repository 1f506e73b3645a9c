/* Unit 32 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 24, 70, 15)
MIXER(m01, 58, 19, 31)
MIXER(m02, 31, 97, 30)
MIXER(m03, 5, 61, 25)
MIXER(m04, 45, 28, 18)
MIXER(m05, 95, 23, 13)
MIXER(m06, 46, 44, 25)
MIXER(m07, 63, 11, 14)
MIXER(m08, 42, 69, 27)
MIXER(m09, 36, 14, 21)
MIXER(m10, 20, 74, 19)
MIXER(m11, 84, 95, 24)
MIXER(m12, 96, 61, 7)
MIXER(m13, 62, 11, 25)
MIXER(m14, 28, 32, 30)
MIXER(m15, 39, 32, 10)
MIXER(m16, 92, 43, 5)
MIXER(m17, 16, 72, 5)
MIXER(m18, 18, 46, 7)
MIXER(m19, 48, 91, 4)
MIXER(m20, 70, 76, 7)
MIXER(m21, 35, 87, 14)
MIXER(m22, 55, 4, 19)
MIXER(m23, 53, 84, 22)
MIXER(m24, 59, 67, 22)
MIXER(m25, 56, 59, 7)
MIXER(m26, 44, 86, 16)
MIXER(m27, 97, 40, 8)
MIXER(m28, 66, 31, 25)
MIXER(m29, 21, 69, 5)
MIXER(m30, 72, 36, 18)
MIXER(m31, 37, 57, 12)
MIXER(m32, 78, 73, 12)
MIXER(m33, 72, 6, 7)
MIXER(m34, 4, 47, 23)
MIXER(m35, 40, 61, 15)
MIXER(m36, 44, 62, 19)
MIXER(m37, 61, 67, 25)
MIXER(m38, 49, 58, 19)
MIXER(m39, 33, 95, 6)
MIXER(m40, 31, 53, 2)
MIXER(m41, 35, 65, 11)
MIXER(m42, 81, 84, 4)
MIXER(m43, 61, 42, 25)
MIXER(m44, 53, 71, 25)
MIXER(m45, 25, 17, 9)
MIXER(m46, 65, 24, 18)
MIXER(m47, 84, 37, 13)

unsigned unit_32(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 8u;
  s = m02(s) + 5u;
  s = m03(s) + 8u;
  s = m04(s) + 3u;
  s = m05(s) + 5u;
  s = m06(s) + 8u;
  s = m07(s) + 1u;
  s = m08(s) + 5u;
  s = m09(s) + 5u;
  s = m10(s) + 4u;
  s = m11(s) + 9u;
  s = m12(s) + 9u;
  s = m13(s) + 4u;
  s = m14(s) + 3u;
  s = m15(s) + 8u;
  s = m16(s) + 5u;
  s = m17(s) + 1u;
  s = m18(s) + 5u;
  s = m19(s) + 4u;
  s = m20(s) + 7u;
  s = m21(s) + 4u;
  s = m22(s) + 2u;
  s = m23(s) + 2u;
  s = m24(s) + 9u;
  s = m25(s) + 4u;
  s = m26(s) + 3u;
  s = m27(s) + 1u;
  s = m28(s) + 8u;
  s = m29(s) + 5u;
  s = m30(s) + 6u;
  s = m31(s) + 1u;
  s = m32(s) + 2u;
  s = m33(s) + 4u;
  s = m34(s) + 9u;
  s = m35(s) + 6u;
  s = m36(s) + 1u;
  s = m37(s) + 3u;
  s = m38(s) + 8u;
  s = m39(s) + 5u;
  s = m40(s) + 1u;
  s = m41(s) + 5u;
  s = m42(s) + 2u;
  s = m43(s) + 9u;
  s = m44(s) + 2u;
  s = m45(s) + 7u;
  s = m46(s) + 2u;
  s = m47(s) + 7u;
  return s;
}
