#include "fakes/sqlite/sqlite_db.h"

#include <memory>
#include <string>
#include <utility>

namespace meshsim::fakes::sqlite {

Status Error(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += sqlite3_errmsg(db);
  return Status(Code::kInternal, std::move(message));
}

Status RunScript(sqlite3* db, std::string_view script, std::string_view what) {
  const char* next = script.data();
  const char* end = script.data() + script.size();
  while (next < end) {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(db, next, static_cast<int>(end - next), &raw, &tail) != SQLITE_OK) {
      return Error(db, what);
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    next = tail;
    if (stmt == nullptr) continue;  // whitespace at the end of the script
    const int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error(db, what);
  }
  return Status::Ok();
}

Result<DbHandle> Open(const std::string& path, std::string_view schema, std::string_view what) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);  // sqlite3_open_v2 may return a handle even when it fails
  if (rc != SQLITE_OK) {
    std::string message = "Cannot open ";
    message += what;
    message += " at " + path + ": ";
    message += db != nullptr ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Status(Code::kInternal, std::move(message));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  std::string failure = "Cannot initialise ";
  failure += what;
  failure += " at " + path;
  if (Status s = RunScript(db.get(), schema, failure); !s.ok()) return s;
  return db;
}

Status Statement::Prepare(sqlite3* db, std::string_view sql) {
  assert(stmt_ == nullptr);
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    return Error(db, "Cannot prepare statement");
  }
  return Status::Ok();
}

// SQLITE_TRANSIENT copies the text, so a temporary argument is safe. A null data() (an empty
// string_view) would bind NULL, not "".
Query& Query::Bind(std::string_view text) {
  const char* data = text.data() != nullptr ? text.data() : "";
  Keep(sqlite3_bind_text(statement_.stmt_, ++bound_, data, static_cast<int>(text.size()),
                         SQLITE_TRANSIENT));
  return *this;
}

Query& Query::Bind(int64_t value) {
  Keep(sqlite3_bind_int64(statement_.stmt_, ++bound_, value));
  return *this;
}

Result<bool> Query::Step() {
  if (bind_error_ != SQLITE_OK) {
    return Status(Code::kInternal,
                  std::string("Cannot bind parameter: ") + sqlite3_errstr(bind_error_));
  }
  int rc = sqlite3_step(statement_.stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(sqlite3_db_handle(statement_.stmt_), "Statement failed");
}

std::string Query::Text(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents, so the length is of the
  // UTF-8 text; the length keeps any embedded NUL.
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.stmt_, column));
  if (text == nullptr) return {};
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement_.stmt_, column)));
}

Transaction::~Transaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled the transaction back; a second
  // ROLLBACK would only fail.
  if (open_ && sqlite3_get_autocommit(db_) == 0) (void)Query(rollback_).Run();
}

Status Transaction::Begin() {
  Status s = Query(begin_).Run();
  open_ = s.ok();
  return s;
}

Status Transaction::Rollback() {
  if (!open_) return Status::Ok();
  open_ = false;
  if (sqlite3_get_autocommit(db_) != 0) return Status::Ok();
  return Query(rollback_).Run();
}

Status Transaction::Commit() {
  Status s = Query(commit_).Run();
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace meshsim::fakes::sqlite
