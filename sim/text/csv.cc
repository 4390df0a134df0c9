#include "sim/text/csv.h"

#include <cstdio>

#include "sim/text/utf8.h"

namespace meshsim {

std::string CsvError(const std::string& filename, int line, int column,
                     const std::string& message) {
  return filename + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

Result<std::vector<CsvRow>> ParseCsv(std::string_view text, const std::string& filename) {
  std::vector<CsvRow> rows;
  size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  int line = 1, column = 1;
  auto advance = [&](char c) {
    ++i;
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  };
  while (i < text.size()) {
    // A blank line, or the end of a file that ends in a line break.
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (text[i] == '\r') advance('\r');
      advance('\n');
      continue;
    }
    CsvRow row;
    row.line = line;
    for (;;) {  // one field per pass
      CsvField& field = row.fields.emplace_back();
      field.line = line;
      field.column = column;
      if (i < text.size() && text[i] == '"') {
        advance('"');
        for (;;) {
          if (i >= text.size()) {
            return Status(Code::kValidation,
                          CsvError(filename, field.line, field.column,
                                   "unterminated quoted field (no closing '\"')"));
          }
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.value += '"';
              advance('"');
              advance('"');
              continue;
            }
            advance('"');
            break;
          }
          field.value += c;
          advance(c);
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Status(Code::kValidation,
                        CsvError(filename, line, column,
                                 "unexpected text after a quoted field; expected ',' or the end "
                                 "of the line"));
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' &&
               !(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
          if (text[i] == '"') {
            return Status(Code::kValidation,
                          CsvError(filename, line, column,
                                   "a '\"' inside an unquoted field; quote the whole field and "
                                   "double the quote"));
          }
          field.value += text[i];
          advance(text[i]);
        }
      }
      if (i < text.size() && text[i] == ',') {
        advance(',');
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') advance('\r');
    if (i < text.size() && text[i] == '\n') advance('\n');
    rows.push_back(std::move(row));
  }
  // Text from outside becomes ids and names in reports: each field must be UTF-8 (once a data
  // set's bad byte passed here and aborted the JSON report writer after the whole run).
  for (const CsvRow& row : rows) {
    for (const CsvField& f : row.fields) {
      const size_t good = ValidUtf8Prefix(f.value);
      if (good == f.value.size()) continue;
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(f.value[good]));
      return Status(
          Code::kValidation,
          CsvError(filename, f.line, f.column,
                   "not UTF-8: a bad sequence at byte " + std::to_string(good + 1) +
                       " of the field (" + std::string(hex) + "); save the file as UTF-8"));
    }
  }
  return rows;
}

}  // namespace meshsim
