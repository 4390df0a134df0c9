#include "sim/text/escape.h"

#include <catch2/catch.hpp>

#include "sim/text/ascii.h"

namespace meshsim {
namespace {

TEST_CASE("escape: HTML and XML spell the five characters, XML's apostrophe its own way") {
  CHECK(HtmlEscape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(XmlEscape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
}

TEST_CASE("escape: XML keeps whitespace in text, references it in attributes, drops controls") {
  CHECK(XmlEscape("a\tb\nc\rd") == "a\tb\nc\rd");
  CHECK(XmlEscape("a\tb\nc\rd", true) == "a&#9;b&#10;c&#13;d");
  CHECK(XmlEscape(std::string("x\x01y\x7fz", 5)) == "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  CHECK(HtmlEscape("Beyoncé") == "Beyoncé");  // UTF-8 passes through
}

TEST_CASE("escape: a shell word is quoted only when it must be") {
  CHECK(ShellWord("scenarios/music_streaming.json") == "scenarios/music_streaming.json");
  CHECK(ShellWord("stream=kafka:bootstrap.servers=127.0.0.1:9092") ==
        "stream=kafka:bootstrap.servers=127.0.0.1:9092");
  CHECK(ShellWord("my run.json") == "'my run.json'");
  CHECK(ShellWord("it's") == "'it'\\''s'");
  CHECK(ShellWord("") == "''");
  CHECK(ShellWord("$(rm -rf /)") == "'$(rm -rf /)'");
}

TEST_CASE("ascii: case folding touches A-Z only") {
  CHECK(AsciiLower("Songs_Domain-É") == "songs_domain-É");
  CHECK(EqualsIgnoreAsciiCase("EVENT_TYPE", "event_type"));
  CHECK_FALSE(EqualsIgnoreAsciiCase("event", "events"));
  CHECK_FALSE(EqualsIgnoreAsciiCase("É", "é"));
}

}  // namespace
}  // namespace meshsim
