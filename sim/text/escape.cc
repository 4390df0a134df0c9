#include "sim/text/escape.h"

#include <algorithm>
#include <cctype>

namespace meshsim {
namespace {

// The entity of one of the five characters markup reserves, or null for any other.
const char* MarkupEntity(char c, const char* apostrophe) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return apostrophe;
    default:
      return nullptr;
  }
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (const char* entity = MarkupEntity(c, "&#39;")) {
      out += entity;
    } else {
      out += c;
    }
  }
  return out;
}

std::string XmlEscape(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (const char* entity = MarkupEntity(ch, "&apos;")) {
      out += entity;
    } else if (ch == '\t' || ch == '\n' || ch == '\r') {
      out += !attribute ? std::string(1, ch) : ch == '\t' ? "&#9;" : ch == '\n' ? "&#10;" : "&#13;";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out += ch;
    }
  }
  return out;
}

std::string ShellWord(std::string_view word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_./-+=:,@").find(c) != std::string_view::npos;
  });
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace meshsim
