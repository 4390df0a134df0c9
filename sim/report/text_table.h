// A table for the terminal, in fixed-width columns: the first column, which names the row, aligned
// left, and the figures after it aligned right. Every table of the terminal summary is one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace meshsim {

class TextTable {
 public:
  // One width, in characters, per column, the first included.
  explicit TextTable(std::vector<size_t> widths) : widths_(std::move(widths)) {}

  // Adds a row, its heading row included. A cell wider than its column is kept whole and pushes
  // the rest of its row right; cells past the last column are dropped.
  void AddRow(const std::vector<std::string>& cells);

  // The rows so far, each ending in a newline.
  const std::string& text() const { return text_; }

 private:
  std::vector<size_t> widths_;
  std::string text_;
};

}  // namespace meshsim
