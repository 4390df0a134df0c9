// A small XML well-formedness check for tests (no XML parser is a dependency): one root element,
// tags that nest and close, quoted attributes without a repeated name, no '<' in text or attribute
// values, and every '&' starting a predefined entity or a character reference.
#pragma once

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace meshsim::testing {

inline bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == ':';
}

// Checks the text between markup: returns false on '<' or a bad '&'.
inline bool CheckText(const std::string& s, std::string* why) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') return *why = "'<' in text or attribute", false;
    if (s[i] != '&') continue;
    const size_t end = s.find(';', i);
    if (end == std::string::npos) return *why = "unterminated entity", false;
    const std::string e = s.substr(i + 1, end - i - 1);
    const bool named = e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos";
    const bool numeric = e.size() > 1 && e[0] == '#';
    if (!named && !numeric) return *why = "unknown entity &" + e + ";", false;
  }
  return true;
}

inline bool WellFormedXml(const std::string& xml, std::string* why) {
  std::vector<std::string> open;
  size_t roots = 0;
  size_t i = 0;
  if (xml.rfind("<?xml", 0) == 0) i = xml.find("?>") + 2;
  while (i < xml.size()) {
    const size_t lt = xml.find('<', i);
    const std::string text = xml.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
    if (!CheckText(text, why)) return false;
    if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos) {
      return *why = "text outside the root element", false;
    }
    if (lt == std::string::npos) break;
    i = lt + 1;
    if (xml.compare(i, 3, "!--") == 0) {
      i = xml.find("-->", i) + 3;
      continue;
    }
    const bool closing = i < xml.size() && xml[i] == '/';
    if (closing) ++i;
    const size_t name_start = i;
    while (i < xml.size() && IsNameChar(xml[i])) ++i;
    const std::string name = xml.substr(name_start, i - name_start);
    if (name.empty()) return *why = "empty tag name", false;
    std::set<std::string> attributes;
    while (true) {
      while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
      if (i >= xml.size()) return *why = "unterminated tag <" + name, false;
      if (xml[i] == '>' || xml.compare(i, 2, "/>") == 0) break;
      if (closing) return *why = "attributes on a closing tag", false;
      const size_t a = i;
      while (i < xml.size() && IsNameChar(xml[i])) ++i;
      const std::string attribute = xml.substr(a, i - a);
      if (attribute.empty() || i >= xml.size() || xml[i] != '=') {
        return *why = "bad attribute in <" + name, false;
      }
      if (!attributes.insert(attribute).second)
        return *why = "repeated attribute " + attribute, false;
      const char quote = xml[++i];
      if (quote != '"' && quote != '\'') return *why = "unquoted attribute " + attribute, false;
      const size_t end = xml.find(quote, i + 1);
      if (end == std::string::npos) return *why = "unterminated attribute " + attribute, false;
      if (!CheckText(xml.substr(i + 1, end - i - 1), why)) return false;
      i = end + 1;
    }
    const bool self_closing = xml[i] == '/';
    i += self_closing ? 2 : 1;
    if (closing) {
      if (open.empty() || open.back() != name) return *why = "mismatched </" + name + ">", false;
      open.pop_back();
    } else {
      if (open.empty()) ++roots;
      if (!self_closing) open.push_back(name);
    }
  }
  if (!open.empty()) return *why = "unclosed <" + open.back() + ">", false;
  if (roots != 1) return *why = std::to_string(roots) + " root elements", false;
  return true;
}

}  // namespace meshsim::testing
