// A CSV reader for data sets that remembers where each field starts, so a message about a bad
// value can name file, line and column. RFC 4180: fields separated by commas, optionally in double
// quotes (with "" for a quote, and commas and line breaks allowed inside); lines end in \n or
// \r\n. Blank lines and a UTF-8 byte order mark are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

struct CsvField {
  std::string value;
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes, where the field (or its opening quote) starts
};

struct CsvRow {
  int line = 1;  // where the row starts
  std::vector<CsvField> fields;
};

// Splits `text` into rows. A syntax error (an unterminated quote, text after a closing quote) is
// kValidation "FILE:LINE:COL: message", with `filename` as FILE.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text, const std::string& filename);

// "FILE:LINE:COL: message", the format of every data set error.
std::string CsvError(const std::string& filename, int line, int column, const std::string& message);

}  // namespace meshsim
