#include "sim/report/text_table.h"

#include <catch2/catch.hpp>

namespace meshsim {
namespace {

TEST_CASE("text table: the first column aligns left, the others right") {
  TextTable table({6, 5, 4});
  table.AddRow({"name", "n", "ms"});
  table.AddRow({"a", "12", "1.5"});
  CHECK(table.text() ==
        "name      n  ms\n"
        "a        12 1.5\n");
}

TEST_CASE("text table: a cell wider than its column is kept whole and pushes the row right") {
  TextTable table({4, 3});
  table.AddRow({"longer", "12345"});
  table.AddRow({"a", "1"});
  CHECK(table.text() ==
        "longer12345\n"
        "a     1\n");
}

TEST_CASE("text table: cells past the last column are dropped, a short row ends early") {
  TextTable table({2, 3});
  table.AddRow({"a", "1", "dropped"});
  table.AddRow({"b"});
  CHECK(table.text() == "a   1\nb \n");
}

}  // namespace
}  // namespace meshsim
