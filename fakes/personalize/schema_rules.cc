#include "fakes/personalize/schema_rules.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "sim/serde/avro/schema.h"
#include "sim/text/csv.h"

namespace meshsim::fakes::personalize {

namespace {

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<FieldKind> KindOf(avro::Type type) {
  switch (type) {
    case avro::Type::kString:
      return FieldKind::kString;
    case avro::Type::kInt:
      return FieldKind::kInt;
    case avro::Type::kLong:
      return FieldKind::kLong;
    case avro::Type::kFloat:
      return FieldKind::kFloat;
    case avro::Type::kDouble:
      return FieldKind::kDouble;
    case avro::Type::kBoolean:
      return FieldKind::kBoolean;
    default:
      return std::nullopt;
  }
}

std::string_view KindName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
      return "string";
    case FieldKind::kInt:
      return "int";
    case FieldKind::kLong:
      return "long";
    case FieldKind::kFloat:
      return "float";
    case FieldKind::kDouble:
      return "double";
    case FieldKind::kBoolean:
      return "boolean";
  }
  return "unknown";
}

const FieldSpec* Find(const std::vector<FieldSpec>& fields, std::string_view name) {
  for (const FieldSpec& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// A required field of `dataset_type`: present, of one of `kinds`, and not categorical.
Status Require(const std::vector<FieldSpec>& fields, std::string_view dataset_type,
               std::string_view name, const std::vector<FieldKind>& kinds) {
  const FieldSpec* f = Find(fields, name);
  std::string want;
  for (const FieldKind k : kinds) {
    if (!want.empty()) want += " or ";
    want += KindName(k);
  }
  if (f == nullptr || std::find(kinds.begin(), kinds.end(), f->kind) == kinds.end()) {
    return Invalid("The " + std::string(dataset_type) + " schema requires a field " +
                   std::string(name) + " of type " + want);
  }
  if (f->categorical) {
    return Invalid("Field " + std::string(name) + " cannot be categorical");
  }
  return Status::Ok();
}

bool IsReserved(std::string_view name) {
  return name == "USER_ID" || name == "ITEM_ID" || name == "TIMESTAMP" || name == "EVENT_TYPE" ||
         name == "EVENT_VALUE" || name == "ACTION_ID";
}

// The cell's text as `kind`, or false.
bool FitsKind(const std::string& text, FieldKind kind) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  switch (kind) {
    case FieldKind::kString:
      return true;
    case FieldKind::kInt: {
      int32_t v = 0;
      const auto r = std::from_chars(begin, end, v);
      return r.ec == std::errc() && r.ptr == end;
    }
    case FieldKind::kLong: {
      int64_t v = 0;
      const auto r = std::from_chars(begin, end, v);
      return r.ec == std::errc() && r.ptr == end;
    }
    case FieldKind::kFloat:
    case FieldKind::kDouble: {
      char* stop = nullptr;
      const double v = std::strtod(text.c_str(), &stop);
      return stop == text.c_str() + text.size() && std::isfinite(v);
    }
    case FieldKind::kBoolean:
      return text == "true" || text == "false" || text == "TRUE" || text == "FALSE" ||
             text == "True" || text == "False";
  }
  return false;
}

}  // namespace

Result<std::vector<FieldSpec>> ParsePersonalizeSchema(std::string_view avro_json) {
  if (avro_json.size() > 10000) return Invalid("schema must be at most 10000 characters");
  Result<avro::Schema> schema = avro::ParseSchema(avro_json);
  if (!schema.ok()) return Invalid("Invalid Avro schema: " + schema.status().message());
  const avro::Node& root = schema->root();
  if (root.type != avro::Type::kRecord) return Invalid("The schema must be an Avro record");
  if (root.fields.empty()) return Invalid("The schema must have at least one field");
  // The Avro model drops attributes it does not know, so "categorical" is read from the text.
  const nlohmann::json raw = nlohmann::json::parse(avro_json);
  std::vector<FieldSpec> out;
  for (size_t i = 0; i < root.fields.size(); ++i) {
    const avro::Field& field = root.fields[i];
    FieldSpec spec;
    spec.name = field.name;
    const avro::Node* type = field.type;
    if (type->type == avro::Type::kUnion) {
      const avro::Node* value = nullptr;
      bool has_null = false;
      for (const avro::Node* b : type->branches) {
        if (b->type == avro::Type::kNull) {
          has_null = true;
        } else if (value == nullptr) {
          value = b;
        } else {
          value = nullptr;
          break;
        }
      }
      if (!has_null || value == nullptr || type->branches.size() != 2) {
        return Invalid("Field " + field.name +
                       ": a union must be of one primitive type and \"null\"");
      }
      type = value;
      spec.nullable = true;
    }
    const std::optional<FieldKind> kind = KindOf(type->type);
    if (!kind) {
      return Invalid("Field " + field.name + ": type " + type->Describe() +
                     " is not supported (string, int, long, float, double, boolean, or a union "
                     "with null)");
    }
    spec.kind = *kind;
    const nlohmann::json& raw_field = raw["fields"][i];
    if (raw_field.contains("categorical")) {
      if (!raw_field["categorical"].is_boolean()) {
        return Invalid("Field " + field.name + ": categorical must be a boolean");
      }
      spec.categorical = raw_field["categorical"].get<bool>();
      if (spec.categorical && spec.kind != FieldKind::kString) {
        return Invalid("Field " + field.name + ": only string fields can be categorical");
      }
    }
    out.push_back(std::move(spec));
  }
  return out;
}

Result<std::string> CanonicalDatasetType(std::string_view dataset_type) {
  for (const std::string_view t : {kInteractionsDataset, kItemsDataset, kUsersDataset,
                                   kActionsDataset, kActionInteractionsDataset}) {
    if (Upper(t) == Upper(dataset_type)) return std::string(t);
  }
  return Invalid(
      "datasetType must be one of Interactions, Items, Users, Actions, "
      "Action_Interactions");
}

Status CheckSchemaForDatasetType(const std::vector<FieldSpec>& fields,
                                 std::string_view dataset_type) {
  using K = FieldKind;
  // Kinds held by value: an initializer_list here once outlived its array (found by ASan).
  std::vector<std::pair<std::string_view, std::vector<K>>> required;
  if (dataset_type == kInteractionsDataset) {
    required = {{"USER_ID", {K::kString}}, {"ITEM_ID", {K::kString}}, {"TIMESTAMP", {K::kLong}}};
  } else if (dataset_type == kItemsDataset) {
    required = {{"ITEM_ID", {K::kString}}};
  } else if (dataset_type == kUsersDataset) {
    required = {{"USER_ID", {K::kString}}};
  } else if (dataset_type == kActionsDataset) {
    required = {{"ACTION_ID", {K::kString}}};
  } else {
    required = {{"USER_ID", {K::kString}},
                {"ACTION_ID", {K::kString}},
                {"TIMESTAMP", {K::kLong}},
                {"EVENT_TYPE", {K::kString}}};
  }
  for (const auto& [name, kinds] : required) {
    if (Status s = Require(fields, dataset_type, name, kinds); !s.ok()) return s;
    if (Find(fields, name)->nullable) {
      return Invalid("Field " + std::string(name) + " cannot be null");
    }
  }
  if (dataset_type == kInteractionsDataset || dataset_type == kActionInteractionsDataset) {
    if (const FieldSpec* f = Find(fields, "EVENT_TYPE"); f != nullptr) {
      if (Status s = Require(fields, dataset_type, "EVENT_TYPE", {K::kString}); !s.ok()) return s;
    }
    if (const FieldSpec* f = Find(fields, "EVENT_VALUE"); f != nullptr) {
      if (Status s = Require(fields, dataset_type, "EVENT_VALUE", {K::kFloat, K::kDouble});
          !s.ok()) {
        return s;
      }
    }
  }
  if (dataset_type == kItemsDataset || dataset_type == kUsersDataset) {
    const bool has_metadata = std::any_of(fields.begin(), fields.end(),
                                          [](const FieldSpec& f) { return !IsReserved(f.name); });
    if (!has_metadata) {
      return Invalid("The " + std::string(dataset_type) +
                     " schema requires at least one metadata field");
    }
  }
  return Status::Ok();
}

Result<ImportedRows> ParseImportCsv(std::string_view text, const std::string& filename,
                                    const std::vector<FieldSpec>& fields,
                                    std::string_view dataset_type) {
  Result<std::vector<CsvRow>> rows = ParseCsv(text, filename);
  if (!rows.ok()) return Invalid(rows.status().message());
  if (rows->empty()) return Invalid(CsvError(filename, 1, 1, "The file has no header row"));
  // Column index → schema field.
  const CsvRow& header = rows->front();
  std::vector<const FieldSpec*> columns;
  std::map<std::string, int> seen;
  for (const CsvField& cell : header.fields) {
    const FieldSpec* match = nullptr;
    for (const FieldSpec& f : fields) {
      if (Upper(f.name) == Upper(cell.value)) match = &f;
    }
    if (match == nullptr) {
      return Invalid(CsvError(filename, cell.line, cell.column,
                              "Column " + cell.value + " is not a field of the schema"));
    }
    if (seen.count(match->name) != 0) {
      return Invalid(CsvError(filename, cell.line, cell.column,
                              "Column " + cell.value + " appears twice in the header"));
    }
    seen[match->name] = static_cast<int>(columns.size());
    columns.push_back(match);
  }
  for (const FieldSpec& f : fields) {
    if (!f.nullable && seen.count(f.name) == 0) {
      return Invalid(CsvError(filename, header.line, 1,
                              "The header has no column for required field " + f.name));
    }
  }
  ImportedRows out;
  for (size_t r = 1; r < rows->size(); ++r) {
    const CsvRow& row = (*rows)[r];
    if (row.fields.size() != columns.size()) {
      return Invalid(CsvError(filename, row.line, 1,
                              "Expected " + std::to_string(columns.size()) + " columns, found " +
                                  std::to_string(row.fields.size())));
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      const CsvField& cell = row.fields[c];
      const FieldSpec& f = *columns[c];
      if (cell.value.empty()) {
        if (f.nullable) continue;
        return Invalid(
            CsvError(filename, cell.line, cell.column, "Field " + f.name + " cannot be empty"));
      }
      if (!FitsKind(cell.value, f.kind)) {
        return Invalid(CsvError(filename, cell.line, cell.column,
                                "Field " + f.name + ": \"" + cell.value + "\" is not a " +
                                    std::string(KindName(f.kind))));
      }
    }
    ++out.row_count;
    const auto cell_of = [&](std::string_view name) -> const std::string* {
      const auto it = seen.find(std::string(name));
      return it == seen.end() ? nullptr : &row.fields[it->second].value;
    };
    Attributes metadata;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!IsReserved(columns[c]->name) && !row.fields[c].value.empty()) {
        metadata[columns[c]->name] = row.fields[c].value;
      }
    }
    if (dataset_type == kInteractionsDataset) {
      ImportedInteraction e;
      e.user_id = *cell_of("USER_ID");
      e.item_id = *cell_of("ITEM_ID");
      e.timestamp = std::strtoll(cell_of("TIMESTAMP")->c_str(), nullptr, 10);
      if (const std::string* t = cell_of("EVENT_TYPE")) e.event_type = *t;
      if (const std::string* v = cell_of("EVENT_VALUE"); v != nullptr && !v->empty()) {
        e.event_value = std::strtod(v->c_str(), nullptr);
      }
      e.metadata = std::move(metadata);
      out.interactions.push_back(std::move(e));
    } else if (dataset_type == kItemsDataset) {
      out.items.push_back(Item{*cell_of("ITEM_ID"), std::move(metadata)});
    } else if (dataset_type == kUsersDataset) {
      out.users.push_back(User{*cell_of("USER_ID"), std::move(metadata)});
    }
  }
  return out;
}

}  // namespace meshsim::fakes::personalize
