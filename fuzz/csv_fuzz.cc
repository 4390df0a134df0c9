// The CSV reader (data sets, Personalize imports): rows and fields with positions, or an error.
#include "fuzz/fuzz_main.h"
#include "sim/text/csv.h"
#include "sim/text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto rows = meshsim::ParseCsv(meshsim::fuzz::Text(data, size), "f.csv");
  if (!rows.ok()) return 0;
  for (const meshsim::CsvRow& row : *rows) {
    for (const meshsim::CsvField& f : row.fields) {
      // What it returns is what it promises: UTF-8, at a position inside the input.
      if (!meshsim::IsValidUtf8(f.value) || f.line < 1 || f.column < 1) __builtin_trap();
    }
  }
  return 0;
}
