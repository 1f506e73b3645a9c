/* Unit 29 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 82, 73, 19)
MIXER(m01, 43, 33, 28)
MIXER(m02, 74, 83, 14)
MIXER(m03, 81, 67, 26)
MIXER(m04, 93, 88, 29)
MIXER(m05, 93, 40, 17)
MIXER(m06, 4, 18, 15)
MIXER(m07, 31, 72, 15)
MIXER(m08, 77, 66, 8)
MIXER(m09, 45, 44, 2)
MIXER(m10, 94, 78, 31)
MIXER(m11, 66, 51, 6)
MIXER(m12, 12, 97, 7)
MIXER(m13, 17, 12, 9)
MIXER(m14, 11, 56, 20)
MIXER(m15, 85, 72, 13)
MIXER(m16, 65, 28, 3)
MIXER(m17, 29, 73, 24)
MIXER(m18, 39, 43, 1)
MIXER(m19, 36, 32, 24)
MIXER(m20, 3, 56, 14)
MIXER(m21, 3, 49, 6)
MIXER(m22, 64, 57, 19)
MIXER(m23, 4, 80, 18)
MIXER(m24, 20, 19, 6)
MIXER(m25, 37, 20, 25)
MIXER(m26, 74, 18, 3)
MIXER(m27, 91, 45, 27)
MIXER(m28, 94, 66, 18)
MIXER(m29, 62, 62, 24)
MIXER(m30, 91, 90, 7)
MIXER(m31, 42, 95, 10)
MIXER(m32, 48, 11, 26)
MIXER(m33, 23, 97, 25)
MIXER(m34, 44, 80, 16)
MIXER(m35, 79, 55, 10)
MIXER(m36, 84, 58, 12)
MIXER(m37, 88, 86, 19)
MIXER(m38, 48, 37, 7)
MIXER(m39, 40, 68, 3)
MIXER(m40, 78, 81, 5)
MIXER(m41, 92, 19, 26)
MIXER(m42, 38, 96, 8)
MIXER(m43, 40, 82, 30)
MIXER(m44, 27, 97, 4)
MIXER(m45, 97, 60, 15)
MIXER(m46, 80, 51, 29)
MIXER(m47, 78, 87, 19)

unsigned unit_29(unsigned x) {
  unsigned s = x;
  s = m00(s) + 2u;
  s = m01(s) + 4u;
  s = m02(s) + 4u;
  s = m03(s) + 7u;
  s = m04(s) + 2u;
  s = m05(s) + 2u;
  s = m06(s) + 5u;
  s = m07(s) + 6u;
  s = m08(s) + 6u;
  s = m09(s) + 3u;
  s = m10(s) + 9u;
  s = m11(s) + 7u;
  s = m12(s) + 7u;
  s = m13(s) + 4u;
  s = m14(s) + 8u;
  s = m15(s) + 7u;
  s = m16(s) + 4u;
  s = m17(s) + 9u;
  s = m18(s) + 8u;
  s = m19(s) + 9u;
  s = m20(s) + 4u;
  s = m21(s) + 2u;
  s = m22(s) + 5u;
  s = m23(s) + 4u;
  s = m24(s) + 6u;
  s = m25(s) + 8u;
  s = m26(s) + 6u;
  s = m27(s) + 4u;
  s = m28(s) + 5u;
  s = m29(s) + 1u;
  s = m30(s) + 2u;
  s = m31(s) + 2u;
  s = m32(s) + 1u;
  s = m33(s) + 5u;
  s = m34(s) + 8u;
  s = m35(s) + 8u;
  s = m36(s) + 1u;
  s = m37(s) + 2u;
  s = m38(s) + 3u;
  s = m39(s) + 2u;
  s = m40(s) + 9u;
  s = m41(s) + 1u;
  s = m42(s) + 8u;
  s = m43(s) + 3u;
  s = m44(s) + 7u;
  s = m45(s) + 4u;
  s = m46(s) + 3u;
  s = m47(s) + 3u;
  return s;
}
