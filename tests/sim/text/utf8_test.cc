#include "sim/text/utf8.h"

#include <catch2/catch.hpp>

namespace meshsim {
namespace {

TEST_CASE("UTF-8 is checked as RFC 3629 has it") {
  for (const char* ok :
       {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x8e\xb5", "\xf4\x8f\xbf\xbf"}) {
    INFO(ok);
    CHECK(IsValidUtf8(ok));
  }
  for (const char* bad :
       {"\xff", "\x80", "caf\xc3", "\xc0\xaf" /* overlong '/' */, "\xe0\x80\xaf" /* overlong */,
        "\xed\xa0\x80" /* a surrogate */, "\xf4\x90\x80\x80" /* past U+10FFFF */, "\xe2\x82"}) {
    CHECK_FALSE(IsValidUtf8(bad));
  }
}

TEST_CASE("ValidUtf8Prefix says where the first bad byte is") {
  CHECK(ValidUtf8Prefix("plain") == 5);
  CHECK(ValidUtf8Prefix("song-\xff"
                        "1") == 5);
  CHECK(ValidUtf8Prefix("caf\xc3\xa9\xc3") == 5);           // a sequence cut off at the end
  CHECK(ValidUtf8Prefix("\xe2\x82\xac\xed\xa0\x80") == 3);  // then a surrogate
  CHECK(ValidUtf8Prefix("") == 0);
}

}  // namespace
}  // namespace meshsim
