/* Unit 06 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 34, 54, 31)
MIXER(m01, 62, 51, 1)
MIXER(m02, 79, 50, 5)
MIXER(m03, 66, 51, 31)
MIXER(m04, 12, 65, 25)
MIXER(m05, 5, 17, 26)
MIXER(m06, 48, 97, 7)
MIXER(m07, 51, 21, 10)
MIXER(m08, 85, 92, 25)
MIXER(m09, 76, 17, 10)
MIXER(m10, 46, 11, 17)
MIXER(m11, 9, 31, 14)
MIXER(m12, 37, 88, 24)
MIXER(m13, 21, 37, 31)
MIXER(m14, 73, 64, 14)
MIXER(m15, 72, 52, 28)
MIXER(m16, 14, 60, 12)
MIXER(m17, 13, 3, 27)
MIXER(m18, 49, 5, 1)
MIXER(m19, 74, 61, 31)
MIXER(m20, 69, 13, 2)
MIXER(m21, 27, 59, 1)
MIXER(m22, 69, 13, 31)
MIXER(m23, 79, 90, 16)
MIXER(m24, 5, 9, 6)
MIXER(m25, 67, 58, 28)
MIXER(m26, 30, 6, 14)
MIXER(m27, 58, 51, 1)
MIXER(m28, 46, 21, 10)
MIXER(m29, 57, 12, 12)
MIXER(m30, 53, 56, 7)
MIXER(m31, 20, 63, 12)
MIXER(m32, 3, 88, 21)
MIXER(m33, 24, 61, 3)
MIXER(m34, 90, 51, 2)
MIXER(m35, 22, 28, 21)
MIXER(m36, 66, 43, 20)
MIXER(m37, 20, 62, 8)
MIXER(m38, 49, 82, 1)
MIXER(m39, 26, 57, 3)
MIXER(m40, 19, 86, 12)
MIXER(m41, 30, 22, 10)
MIXER(m42, 92, 74, 3)
MIXER(m43, 17, 16, 21)
MIXER(m44, 50, 41, 12)
MIXER(m45, 73, 77, 15)
MIXER(m46, 75, 20, 9)
MIXER(m47, 72, 4, 24)

unsigned unit_06(unsigned x) {
  unsigned s = x;
  s = m00(s) + 9u;
  s = m01(s) + 2u;
  s = m02(s) + 1u;
  s = m03(s) + 6u;
  s = m04(s) + 5u;
  s = m05(s) + 8u;
  s = m06(s) + 6u;
  s = m07(s) + 8u;
  s = m08(s) + 2u;
  s = m09(s) + 7u;
  s = m10(s) + 7u;
  s = m11(s) + 4u;
  s = m12(s) + 2u;
  s = m13(s) + 2u;
  s = m14(s) + 3u;
  s = m15(s) + 4u;
  s = m16(s) + 3u;
  s = m17(s) + 3u;
  s = m18(s) + 5u;
  s = m19(s) + 7u;
  s = m20(s) + 4u;
  s = m21(s) + 8u;
  s = m22(s) + 5u;
  s = m23(s) + 9u;
  s = m24(s) + 7u;
  s = m25(s) + 1u;
  s = m26(s) + 7u;
  s = m27(s) + 3u;
  s = m28(s) + 4u;
  s = m29(s) + 4u;
  s = m30(s) + 5u;
  s = m31(s) + 5u;
  s = m32(s) + 2u;
  s = m33(s) + 2u;
  s = m34(s) + 7u;
  s = m35(s) + 1u;
  s = m36(s) + 8u;
  s = m37(s) + 2u;
  s = m38(s) + 1u;
  s = m39(s) + 5u;
  s = m40(s) + 6u;
  s = m41(s) + 9u;
  s = m42(s) + 5u;
  s = m43(s) + 7u;
  s = m44(s) + 8u;
  s = m45(s) + 4u;
  s = m46(s) + 1u;
  s = m47(s) + 7u;
  return s;
}
