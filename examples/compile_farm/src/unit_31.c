/* Unit 31 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 89, 75, 5)
MIXER(m01, 91, 9, 3)
MIXER(m02, 59, 5, 12)
MIXER(m03, 41, 93, 7)
MIXER(m04, 19, 24, 10)
MIXER(m05, 25, 9, 27)
MIXER(m06, 68, 95, 3)
MIXER(m07, 35, 72, 29)
MIXER(m08, 91, 84, 4)
MIXER(m09, 73, 61, 2)
MIXER(m10, 5, 65, 9)
MIXER(m11, 80, 46, 11)
MIXER(m12, 22, 72, 9)
MIXER(m13, 90, 94, 11)
MIXER(m14, 39, 58, 7)
MIXER(m15, 34, 13, 30)
MIXER(m16, 11, 83, 5)
MIXER(m17, 9, 8, 18)
MIXER(m18, 93, 36, 10)
MIXER(m19, 29, 80, 25)
MIXER(m20, 13, 77, 17)
MIXER(m21, 43, 28, 1)
MIXER(m22, 84, 13, 11)
MIXER(m23, 56, 22, 12)
MIXER(m24, 80, 90, 25)
MIXER(m25, 14, 85, 7)
MIXER(m26, 34, 43, 19)
MIXER(m27, 26, 18, 27)
MIXER(m28, 14, 32, 11)
MIXER(m29, 88, 8, 8)
MIXER(m30, 17, 53, 17)
MIXER(m31, 10, 45, 4)
MIXER(m32, 41, 93, 29)
MIXER(m33, 53, 7, 24)
MIXER(m34, 54, 70, 8)
MIXER(m35, 92, 71, 29)
MIXER(m36, 19, 79, 16)
MIXER(m37, 13, 3, 1)
MIXER(m38, 9, 79, 18)
MIXER(m39, 78, 4, 14)
MIXER(m40, 77, 44, 9)
MIXER(m41, 29, 61, 26)
MIXER(m42, 15, 10, 8)
MIXER(m43, 59, 88, 18)
MIXER(m44, 57, 22, 5)
MIXER(m45, 94, 52, 20)
MIXER(m46, 59, 84, 6)
MIXER(m47, 29, 22, 31)

unsigned unit_31(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 2u;
  s = m02(s) + 8u;
  s = m03(s) + 7u;
  s = m04(s) + 1u;
  s = m05(s) + 7u;
  s = m06(s) + 7u;
  s = m07(s) + 9u;
  s = m08(s) + 3u;
  s = m09(s) + 8u;
  s = m10(s) + 9u;
  s = m11(s) + 6u;
  s = m12(s) + 8u;
  s = m13(s) + 6u;
  s = m14(s) + 1u;
  s = m15(s) + 9u;
  s = m16(s) + 7u;
  s = m17(s) + 1u;
  s = m18(s) + 1u;
  s = m19(s) + 3u;
  s = m20(s) + 3u;
  s = m21(s) + 1u;
  s = m22(s) + 3u;
  s = m23(s) + 2u;
  s = m24(s) + 5u;
  s = m25(s) + 3u;
  s = m26(s) + 5u;
  s = m27(s) + 9u;
  s = m28(s) + 4u;
  s = m29(s) + 3u;
  s = m30(s) + 1u;
  s = m31(s) + 7u;
  s = m32(s) + 6u;
  s = m33(s) + 2u;
  s = m34(s) + 9u;
  s = m35(s) + 1u;
  s = m36(s) + 1u;
  s = m37(s) + 9u;
  s = m38(s) + 2u;
  s = m39(s) + 3u;
  s = m40(s) + 4u;
  s = m41(s) + 9u;
  s = m42(s) + 3u;
  s = m43(s) + 6u;
  s = m44(s) + 1u;
  s = m45(s) + 1u;
  s = m46(s) + 6u;
  s = m47(s) + 1u;
  return s;
}
