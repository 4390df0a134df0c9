// Text made safe for where it goes: HTML and XML markup, and a shell command line.
#pragma once

#include <string>
#include <string_view>

namespace meshsim {

// For HTML text and attribute values: & < > " ' as &amp; &lt; &gt; &quot; &#39;.
std::string HtmlEscape(std::string_view text);

// For XML 1.0 (JUnit reports): the five entities (' as &apos;); in an attribute, tab, newline and
// carriage return as character references so they survive attribute normalisation; any other
// control character, which XML 1.0 cannot hold, as U+FFFD.
std::string XmlEscape(std::string_view text, bool attribute = false);

// `word` as one shell word: as it is when it holds only letters, digits and _./-+=:,@, else in
// single quotes (a ' inside as '\''). For replay commands a person pastes into a shell.
std::string ShellWord(std::string_view word);

}  // namespace meshsim
