#include "sim/report/text_table.h"

#include <fmt/format.h>

#include <iterator>

namespace meshsim {

void TextTable::AddRow(const std::vector<std::string>& cells) {
  auto out = std::back_inserter(text_);
  for (size_t i = 0; i < cells.size() && i < widths_.size(); ++i) {
    if (i == 0) {
      fmt::format_to(out, "{:<{}}", cells[i], widths_[i]);
    } else {
      fmt::format_to(out, "{:>{}}", cells[i], widths_[i]);
    }
  }
  text_ += '\n';
}

}  // namespace meshsim
