// The Catalog port on SQLite, with Glue Data Catalog semantics: names lower-cased, Glue's error
// types and messages. Given a file path the catalog survives restarts, as a real catalog does.
//
// Every value reaches SQLite as a bound parameter of a statement prepared once at open; a write
// call validates its input first and then writes inside one transaction, so a call that fails
// leaves the catalog exactly as it was.
#include "fakes/catalog.h"

#include <sqlite3.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meshsim::fakes {
namespace {

// Glue's NameString and KeyString: 1-255 characters.
constexpr size_t kMaxNameChars = 255;

// Run once at open. Foreign keys are off by default in SQLite and the pragma is a no-op inside a
// transaction, so it comes first; the tables are created in one transaction so that a file never
// holds half a schema.
constexpr std::string_view kSchema = R"sql(
PRAGMA foreign_keys = ON;
BEGIN;
CREATE TABLE IF NOT EXISTS databases (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  owner_domain TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
  id INTEGER PRIMARY KEY,
  database_name TEXT NOT NULL REFERENCES databases (name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  owner_domain TEXT NOT NULL,
  location TEXT NOT NULL,
  format TEXT NOT NULL,
  UNIQUE (database_name, name)
);
CREATE TABLE IF NOT EXISTS columns (
  table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  comment TEXT NOT NULL,
  PRIMARY KEY (table_id, position),
  UNIQUE (table_id, name COLLATE NOCASE)
);
CREATE TABLE IF NOT EXISTS table_parameters (
  table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (table_id, name)
);
COMMIT;
)sql";

// The columns every table query selects, in the order ReadTableRow reads them.
#define MESHSIM_TABLE_ROW "id, database_name, name, description, owner_domain, location, format"

// Glue reports its own faults as InternalServiceException; SQLite failures are ours.
Status SqliteError(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += sqlite3_errmsg(db);
  return Status(Code::kInternal, std::move(message));
}

// Glue lower-cases database and table names. ASCII only: SQLite's NOCASE and LIKE fold only ASCII,
// and folding more here than in SQL would make a name findable one way and not the other.
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Glue's limits count characters, not bytes: count the bytes that start a UTF-8 sequence.
size_t CharCount(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Glue's single-line string pattern: 1-255 characters, no line breaks or other control characters.
Status CheckName(std::string_view field, std::string_view name) {
  size_t chars = CharCount(name);
  if (chars == 0 || chars > kMaxNameChars) {
    return Status(Code::kInvalidInput, std::string(field) + " must be 1-255 characters");
  }
  bool has_control = std::any_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (has_control) {
    return Status(Code::kInvalidInput, std::string(field) + " must not contain control characters");
  }
  return Status::Ok();
}

// A table as Glue stores it: database and table names lower-cased, the rest as given.
Table Normalized(const Table& table) {
  Table out = table;
  out.database = Lower(table.database);
  out.name = Lower(table.name);
  return out;
}

// REQUIRES: `table` is Normalized.
Status CheckTable(const Table& table) {
  if (Status s = CheckName("Database name", table.database); !s.ok()) return s;
  if (Status s = CheckName("Table name", table.name); !s.ok()) return s;
  // Athena and Hive resolve column names case-insensitively, so "id" and "ID" are one column to
  // every engine that reads the table.
  std::set<std::string> seen;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const std::string& name = table.columns[i].name;
    if (Status s = CheckName("Name of column " + std::to_string(i + 1), name); !s.ok()) return s;
    if (!seen.insert(Lower(name)).second) {
      return Status(Code::kInvalidInput,
                    "Duplicate column name " + name + " in table " + table.name);
    }
  }
  for (const auto& [key, value] : table.parameters) {
    if (Status s = CheckName("Parameter key", key); !s.ok()) return s;
  }
  return Status::Ok();
}

// The user's text as a LIKE pattern matching it anywhere, with LIKE's wildcards (and the escape
// character itself) escaped so that "50%" finds "50%" and not "500".
std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

// A prepared statement, finalized when it goes away. Each is prepared once at open and reused
// through Query.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }  // a no-op on nullptr

  Status Prepare(sqlite3* db, std::string_view sql) {
    assert(stmt_ == nullptr);
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
      return SqliteError(db, "Cannot prepare catalog statement");
    }
    return Status::Ok();
  }

 private:
  friend class Query;
  sqlite3_stmt* stmt_ = nullptr;
  bool in_use_ = false;
};

// One execution of a Statement: binds parameters in order, steps, reads columns. Resets the
// statement and clears its bindings when it goes away, so every early return leaves the statement
// ready for reuse and holding no lock.
class Query {
 public:
  explicit Query(Statement& statement) : statement_(statement) {
    // Two live Queries on one Statement would reset each other's rows.
    assert(!statement_.in_use_);
    statement_.in_use_ = true;
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    sqlite3_reset(statement_.stmt_);
    sqlite3_clear_bindings(statement_.stmt_);
    statement_.in_use_ = false;
  }

  // SQLITE_TRANSIENT copies the text, so a temporary argument is safe. A null data() (an empty
  // string_view) would bind NULL, not "".
  Query& Bind(std::string_view text) {
    const char* data = text.data() != nullptr ? text.data() : "";
    Keep(sqlite3_bind_text(statement_.stmt_, ++bound_, data, static_cast<int>(text.size()),
                           SQLITE_TRANSIENT));
    return *this;
  }
  Query& Bind(int64_t value) {
    Keep(sqlite3_bind_int64(statement_.stmt_, ++bound_, value));
    return *this;
  }

  // True when a row is ready to read, false when the statement is done.
  Result<bool> Step() {
    if (bind_error_ != SQLITE_OK) {
      return Status(Code::kInternal,
                    std::string("Cannot bind catalog parameter: ") + sqlite3_errstr(bind_error_));
    }
    int rc = sqlite3_step(statement_.stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(sqlite3_db_handle(statement_.stmt_), "Catalog statement failed");
  }

  // For statements that return no rows.
  Status Run() { return Step().status(); }

  // Calls `read(*this)` on each row in turn.
  template <typename Read>
  Status ForEachRow(Read read) {
    for (;;) {
      Result<bool> row = Step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      read(*this);
    }
  }

  std::string Text(int column) const {
    // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents, so the length is of
    // the UTF-8 text; the length keeps any embedded NUL.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.stmt_, column));
    if (text == nullptr) return {};
    return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_.stmt_, column)));
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_.stmt_, column); }

 private:
  void Keep(int rc) {
    if (bind_error_ == SQLITE_OK) bind_error_ = rc;
  }

  Statement& statement_;
  int bound_ = 0;
  int bind_error_ = SQLITE_OK;
};

struct CloseDb {
  // close_v2 never leaves the handle open, even if a statement were still unfinalized.
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

// Runs the schema script one statement at a time through prepare/step, so it needs no
// sqlite3_exec; the script holds no values. `what` opens the message of any error.
Status RunScript(sqlite3* db, std::string_view script, std::string_view what) {
  const char* next = script.data();
  const char* end = script.data() + script.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, next, static_cast<int>(end - next), &raw, &tail) != SQLITE_OK) {
      return SqliteError(db, what);
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    next = tail;
    if (stmt == nullptr) continue;  // whitespace at the end of the script
    int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteError(db, what);
  }
  return Status::Ok();
}

// Not thread-safe: calls share the prepared statements, so one thread (the runtime's) at a time.
class SqliteCatalog final : public Catalog {
 public:
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    DbHandle db(raw);  // sqlite3_open_v2 may return a handle even when it fails
    if (rc != SQLITE_OK) {
      std::string message = "Cannot open catalog at " + path + ": ";
      message += db != nullptr ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
      return Status(Code::kInternal, std::move(message));
    }
    sqlite3_extended_result_codes(db.get(), 1);
    if (Status s = RunScript(db.get(), kSchema, "Cannot initialise catalog at " + path); !s.ok()) {
      return s;
    }
    // A constructor cannot return a Status, so the statements are prepared just after it.
    std::unique_ptr<SqliteCatalog> catalog(new SqliteCatalog(std::move(db)));
    if (Status s = catalog->PrepareStatements(); !s.ok()) return s;
    return std::unique_ptr<Catalog>(std::move(catalog));
  }

  Status CreateDatabase(const Database& database) override {
    Database row = database;
    row.name = Lower(database.name);
    if (Status s = CheckName("Database name", row.name); !s.ok()) return s;

    Transaction txn(*this);
    if (Status s = txn.Begin(); !s.ok()) return s;
    Result<Database> existing = ReadDatabase(row.name);
    if (existing.ok()) return Status(Code::kAlreadyExists, "Database already exists.");
    if (existing.status().code() != Code::kEntityNotFound) return existing.status();
    {
      Query insert(insert_database_);
      insert.Bind(row.name).Bind(row.description).Bind(row.owner_domain);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
    return txn.Commit();
  }

  Result<Database> GetDatabase(const std::string& name) const override {
    std::string key = Lower(name);
    if (Status s = CheckName("Database name", key); !s.ok()) return s;
    return ReadDatabase(key);
  }

  Result<std::vector<Database>> GetDatabases() const override {
    std::vector<Database> out;
    Query select(select_databases_);
    Status s = select.ForEachRow([&](const Query& row) { out.push_back(ReadDatabaseRow(row)); });
    if (!s.ok()) return s;
    return out;
  }

  Status CreateTable(const Table& table) override {
    Table row = Normalized(table);
    if (Status s = CheckTable(row); !s.ok()) return s;

    Transaction txn(*this);
    if (Status s = txn.Begin(); !s.ok()) return s;
    if (Status s = ReadDatabase(row.database).status(); !s.ok()) return s;
    Result<StoredTable> existing = FindTable(row.database, row.name);
    if (existing.ok()) return Status(Code::kAlreadyExists, "Table already exists.");
    if (existing.status().code() != Code::kEntityNotFound) return existing.status();
    {
      Query insert(insert_table_);
      insert.Bind(row.database).Bind(row.name).Bind(row.description).Bind(row.owner_domain);
      insert.Bind(row.location).Bind(row.format);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
    if (Status s = WriteDetails(sqlite3_last_insert_rowid(db()), row); !s.ok()) return s;
    return txn.Commit();
  }

  // Glue's UpdateTable replaces the whole definition: columns and parameters left out are gone.
  Status UpdateTable(const Table& table) override {
    Table row = Normalized(table);
    if (Status s = CheckTable(row); !s.ok()) return s;

    Transaction txn(*this);
    if (Status s = txn.Begin(); !s.ok()) return s;
    if (Status s = ReadDatabase(row.database).status(); !s.ok()) return s;
    Result<StoredTable> existing = FindTable(row.database, row.name);
    if (!existing.ok()) return existing.status();
    int64_t id = existing->id;
    {
      Query update(update_table_);
      update.Bind(id).Bind(row.description).Bind(row.owner_domain).Bind(row.location);
      update.Bind(row.format);
      if (Status s = update.Run(); !s.ok()) return s;
    }
    {
      Query erase(delete_columns_);
      if (Status s = erase.Bind(id).Run(); !s.ok()) return s;
    }
    {
      Query erase(delete_parameters_);
      if (Status s = erase.Bind(id).Run(); !s.ok()) return s;
    }
    if (Status s = WriteDetails(id, row); !s.ok()) return s;
    return txn.Commit();
  }

  Result<Table> GetTable(const std::string& database, const std::string& name) const override {
    std::string database_key = Lower(database);
    std::string table_key = Lower(name);
    if (Status s = CheckName("Database name", database_key); !s.ok()) return s;
    if (Status s = CheckName("Table name", table_key); !s.ok()) return s;
    if (Status s = ReadDatabase(database_key).status(); !s.ok()) return s;
    Result<StoredTable> found = FindTable(database_key, table_key);
    if (!found.ok()) return found.status();
    if (Status s = ReadDetails(*found); !s.ok()) return s;
    return std::move(found->table);
  }

  Result<std::vector<Table>> GetTables(const std::string& database) const override {
    std::string key = Lower(database);
    if (Status s = CheckName("Database name", key); !s.ok()) return s;
    if (Status s = ReadDatabase(key).status(); !s.ok()) return s;
    Query select(select_tables_);
    select.Bind(key);
    return ReadTables(select);
  }

  Result<std::vector<Table>> SearchTables(const std::string& text) const override {
    Query search(search_tables_);
    search.Bind(ContainsPattern(text));
    return ReadTables(search);
  }

 private:
  struct StoredTable {
    int64_t id = 0;
    Table table;  // columns and parameters filled in by ReadDetails
  };

  // BEGIN IMMEDIATE takes the write lock up front, so the checks a call makes still hold when it
  // writes. Rolled back when it goes out of scope uncommitted.
  class Transaction {
   public:
    explicit Transaction(SqliteCatalog& catalog) : catalog_(catalog) {}
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
      // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled the transaction back; a second
      // ROLLBACK would only fail.
      if (open_ && sqlite3_get_autocommit(catalog_.db()) == 0) {
        (void)Query(catalog_.rollback_).Run();
      }
    }

    Status Begin() {
      Status s = Query(catalog_.begin_).Run();
      open_ = s.ok();
      return s;
    }
    Status Commit() {
      Status s = Query(catalog_.commit_).Run();
      if (s.ok()) open_ = false;
      return s;
    }

   private:
    SqliteCatalog& catalog_;
    bool open_ = false;
  };

  explicit SqliteCatalog(DbHandle db) : db_(std::move(db)) {}

  sqlite3* db() const { return db_.get(); }

  Status PrepareStatements() {
    const std::pair<Statement*, std::string_view> statements[] = {
        {&begin_, "BEGIN IMMEDIATE"},
        {&commit_, "COMMIT"},
        {&rollback_, "ROLLBACK"},
        {&insert_database_,
         "INSERT INTO databases (name, description, owner_domain) VALUES (?1, ?2, ?3)"},
        {&select_database_,
         "SELECT name, description, owner_domain FROM databases WHERE name = ?1"},
        {&select_databases_, "SELECT name, description, owner_domain FROM databases ORDER BY name"},
        {&insert_table_,
         "INSERT INTO tables (database_name, name, description, owner_domain, location, format) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&update_table_,
         "UPDATE tables SET description = ?2, owner_domain = ?3, location = ?4, format = ?5 "
         "WHERE id = ?1"},
        {&select_table_,
         "SELECT " MESHSIM_TABLE_ROW " FROM tables WHERE database_name = ?1 AND name = ?2"},
        {&select_tables_,
         "SELECT " MESHSIM_TABLE_ROW " FROM tables WHERE database_name = ?1 ORDER BY name"},
        // LIKE folds ASCII case, matching how names are lower-cased.
        {&search_tables_, "SELECT " MESHSIM_TABLE_ROW " FROM tables AS t "
                          "WHERE t.name LIKE ?1 ESCAPE '\\' OR t.description LIKE ?1 ESCAPE '\\' "
                          "OR t.owner_domain LIKE ?1 ESCAPE '\\' "
                          "OR EXISTS (SELECT 1 FROM columns AS c WHERE c.table_id = t.id "
                          "AND c.name LIKE ?1 ESCAPE '\\') "
                          "ORDER BY t.database_name, t.name"},
        {&insert_column_,
         "INSERT INTO columns (table_id, position, name, type, comment) "
         "VALUES (?1, ?2, ?3, ?4, ?5)"},
        {&select_columns_,
         "SELECT name, type, comment FROM columns WHERE table_id = ?1 ORDER BY position"},
        {&delete_columns_, "DELETE FROM columns WHERE table_id = ?1"},
        {&insert_parameter_,
         "INSERT INTO table_parameters (table_id, name, value) VALUES (?1, ?2, ?3)"},
        {&select_parameters_, "SELECT name, value FROM table_parameters WHERE table_id = ?1"},
        {&delete_parameters_, "DELETE FROM table_parameters WHERE table_id = ?1"},
    };
    for (const auto& [statement, sql] : statements) {
      if (Status s = statement->Prepare(db(), sql); !s.ok()) return s;
    }
    return Status::Ok();
  }

  static Database ReadDatabaseRow(const Query& row) {
    return Database{row.Text(0), row.Text(1), row.Text(2)};
  }

  // REQUIRES: `row` is positioned on a row selecting MESHSIM_TABLE_ROW.
  static StoredTable ReadTableRow(const Query& row) {
    StoredTable out;
    out.id = row.Int(0);
    out.table.database = row.Text(1);
    out.table.name = row.Text(2);
    out.table.description = row.Text(3);
    out.table.owner_domain = row.Text(4);
    out.table.location = row.Text(5);
    out.table.format = row.Text(6);
    return out;
  }

  // REQUIRES: `name` is lower-cased.
  Result<Database> ReadDatabase(const std::string& name) const {
    Query select(select_database_);
    select.Bind(name);
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status(Code::kEntityNotFound, "Database " + name + " not found.");
    return ReadDatabaseRow(select);
  }

  // The table's own row, without columns or parameters. REQUIRES: names are lower-cased.
  Result<StoredTable> FindTable(const std::string& database, const std::string& name) const {
    Query select(select_table_);
    select.Bind(database).Bind(name);
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status(Code::kEntityNotFound, "Table " + name + " not found.");
    return ReadTableRow(select);
  }

  // Every row of `select` (which selects MESHSIM_TABLE_ROW) with its columns and parameters.
  Result<std::vector<Table>> ReadTables(Query& select) const {
    std::vector<StoredTable> rows;
    Status listed = select.ForEachRow([&](const Query& row) { rows.push_back(ReadTableRow(row)); });
    if (!listed.ok()) return listed;
    std::vector<Table> out;
    out.reserve(rows.size());
    for (StoredTable& row : rows) {
      if (Status s = ReadDetails(row); !s.ok()) return s;
      out.push_back(std::move(row.table));
    }
    return out;
  }

  Status ReadDetails(StoredTable& stored) const {
    Table& table = stored.table;
    Query columns(select_columns_);
    Status s = columns.Bind(stored.id).ForEachRow([&](const Query& row) {
      table.columns.push_back(Column{row.Text(0), row.Text(1), row.Text(2)});
    });
    if (!s.ok()) return s;
    Query parameters(select_parameters_);
    return parameters.Bind(stored.id).ForEachRow(
        [&](const Query& row) { table.parameters.emplace(row.Text(0), row.Text(1)); });
  }

  // REQUIRES: inside a Transaction; the table has no columns or parameters stored.
  Status WriteDetails(int64_t id, const Table& table) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const Column& column = table.columns[i];
      Query insert(insert_column_);
      insert.Bind(id).Bind(static_cast<int64_t>(i)).Bind(column.name).Bind(column.type);
      insert.Bind(column.comment);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
    for (const auto& [key, value] : table.parameters) {
      Query insert(insert_parameter_);
      if (Status s = insert.Bind(id).Bind(key).Bind(value).Run(); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Declared first so it is destroyed last, after the statements that belong to it.
  DbHandle db_;
  // Reads step statements too, so const calls change them.
  mutable Statement begin_, commit_, rollback_;
  mutable Statement insert_database_, select_database_, select_databases_;
  mutable Statement insert_table_, update_table_, select_table_, select_tables_, search_tables_;
  mutable Statement insert_column_, select_columns_, delete_columns_;
  mutable Statement insert_parameter_, select_parameters_, delete_parameters_;
};

#undef MESHSIM_TABLE_ROW

}  // namespace

Result<std::unique_ptr<Catalog>> MakeSqliteCatalog(const std::string& path) {
  return SqliteCatalog::Open(path);
}

}  // namespace meshsim::fakes
