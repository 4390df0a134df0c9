// What Personalize asks of a dataset's schema and of the CSV files imported into it, apart from
// the calls that use them: a schema is an Avro record of primitive fields (a union with "null"
// makes one optional; "categorical": true only on strings), each dataset type requires its id and
// time fields with fixed types, and an import's CSV names its columns in a header row.
//
// Sources: Personalize Developer Guide, "Schema formatting requirements", "Item interactions
// dataset schema requirements (custom)" (USER_ID, ITEM_ID string; TIMESTAMP long; EVENT_TYPE
// string; EVENT_VALUE float or double), "Users/Items dataset schema requirements" (the id and at
// least one metadata field), "Action interactions dataset schema requirements" (USER_ID,
// ACTION_ID, TIMESTAMP, EVENT_TYPE), and "Bulk data format guidelines" (CSV with a header row).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/recommender.h"

namespace meshsim::fakes::personalize {

inline constexpr std::string_view kInteractionsDataset = "Interactions";
inline constexpr std::string_view kItemsDataset = "Items";
inline constexpr std::string_view kUsersDataset = "Users";
inline constexpr std::string_view kActionsDataset = "Actions";
inline constexpr std::string_view kActionInteractionsDataset = "Action_Interactions";

enum class FieldKind { kString, kInt, kLong, kFloat, kDouble, kBoolean };

struct FieldSpec {
  std::string name;
  FieldKind kind = FieldKind::kString;
  bool nullable = false;     // a union with "null": the CSV cell may be empty
  bool categorical = false;  // "categorical": true (strings only)
};

// Parses a CreateSchema definition: valid Avro (sim/serde/avro/schema.h), a record at the root,
// every field a primitive or a union of one primitive with "null", "categorical" only on strings.
// InvalidInputException saying which field broke which rule.
Result<std::vector<FieldSpec>> ParsePersonalizeSchema(std::string_view avro_json);

// The dataset type as AWS spells it ("interactions" → "Interactions": CreateDataset takes it case
// insensitively). InvalidInputException for anything but the five types.
Result<std::string> CanonicalDatasetType(std::string_view dataset_type);

// CreateDataset's check that `fields` suit `dataset_type` (canonical): the required fields with
// their types, and for Items and Users at least one metadata field. InvalidInputException.
Status CheckSchemaForDatasetType(const std::vector<FieldSpec>& fields,
                                 std::string_view dataset_type);

// One row of an Interactions dataset; columns other than the reserved ones are in `metadata`.
struct ImportedInteraction {
  std::string user_id;
  std::string item_id;
  int64_t timestamp = 0;  // Unix seconds, as Personalize stores it
  std::string event_type;
  std::optional<double> event_value;
  Attributes metadata;
};

// A file's rows as structured data for the trainer; which vector fills depends on the type.
struct ImportedRows {
  std::vector<ImportedInteraction> interactions;
  std::vector<Item> items;
  std::vector<User> users;
  size_t row_count = 0;  // every type, Actions and Action_Interactions included
};

// Reads an import's CSV (sim/text/csv.h): a header row whose names match schema fields ignoring
// case, every non-nullable field among them, no unknown column, then rows with a cell per column
// whose text fits the field's type (an empty cell is null, allowed only for nullable fields).
// InvalidInputException "FILE:LINE:COL: message" naming the first bad cell, with `filename`
// (the S3 URI) as FILE.
Result<ImportedRows> ParseImportCsv(std::string_view text, const std::string& filename,
                                    const std::vector<FieldSpec>& fields,
                                    std::string_view dataset_type);

}  // namespace meshsim::fakes::personalize
