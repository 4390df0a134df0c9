// The catalog's thin layer over SQLite's C API: prepared statements reused through a Query that
// binds, steps and always resets, a transaction that rolls back unless committed, and a script
// runner for DDL. Not for use outside the catalog's files (fakes/catalog*.cc).
#pragma once

#include <sqlite3.h>

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sim/status.h"

namespace meshsim::fakes::internal {

// Glue reports its own faults as InternalServiceException; SQLite failures are ours.
inline Status SqliteError(sqlite3* db, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += sqlite3_errmsg(db);
  return Status(Code::kInternal, std::move(message));
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
inline Status RunScript(sqlite3* db, std::string_view script, std::string_view what) {
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

// BEGIN IMMEDIATE takes the write lock up front, so the checks a call makes still hold when it
// writes. Rolled back when it goes out of scope uncommitted.
class Transaction {
 public:
  Transaction(Statement& begin, Statement& commit, Statement& rollback)
      : begin_(begin), commit_(commit), rollback_(rollback) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled the transaction back; a second
    // ROLLBACK would only fail.
    if (open_ && sqlite3_get_autocommit(db_) == 0) (void)Query(rollback_).Run();
  }

  Status Begin(sqlite3* db) {
    db_ = db;
    Status s = Query(begin_).Run();
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = Query(commit_).Run();
    if (s.ok()) open_ = false;
    return s;
  }

 private:
  Statement& begin_;
  Statement& commit_;
  Statement& rollback_;
  sqlite3* db_ = nullptr;
  bool open_ = false;
};

}  // namespace meshsim::fakes::internal
