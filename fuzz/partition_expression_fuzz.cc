// Glue's GetPartitions expression parser, compiled over a table's partition keys of several
// types and then matched against a few partitions.
#include <string>
#include <vector>

#include "fakes/glue_catalog/partition_expression.h"
#include "fuzz/fuzz_main.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<meshsim::Column> keys = {{"dt", "string", ""},
                                                    {"hour", "int", ""},
                                                    {"region", "varchar(10)", ""},
                                                    {"day", "date", ""},
                                                    {"n", "bigint", ""}};
  auto expression =
      meshsim::fakes::PartitionExpression::Compile(meshsim::fuzz::Text(data, size), keys);
  if (!expression.ok()) return 0;
  for (const std::vector<std::string>& values :
       {std::vector<std::string>{"2026-11-24", "7", "eu", "2026-11-24", "-9"},
        std::vector<std::string>{"", "x", "", "not a date", "99999999999999999999"},
        std::vector<std::string>{std::string(meshsim::fakes::kHiveNullPartition), "0", "us-east-1",
                                 "2026-02-30", "0"}}) {
    (void)expression->Matches(values);
  }
  return 0;
}
