// A move-only callable `void()` with inline storage for small captures. The runtime schedules one
// per event on the hot path, and std::function both allocates for any capture beyond 16 bytes
// (a TopicPartition alone is 40) and demands copyable captures; this allocates only for captures
// larger than kInlineBytes and takes move-only ones (unique_ptr, a moved record).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace meshsim {

class Task {
 public:
  static constexpr size_t kInlineBytes = 56;

  Task() = default;
  Task(std::nullptr_t) {}  // NOLINT: as std::function

  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, Task> &&
                                                    std::is_invocable_r_v<void, F&>>>
  Task(F&& f) {  // NOLINT: implicit, as std::function
    using Fn = std::decay_t<F>;
    if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Fn>) {
      new (&storage_) Fn(std::forward<F>(f));
      ops_ = &InlineOps<Fn>::kOps;
    } else {
      *reinterpret_cast<Fn**>(&storage_) = new Fn(std::forward<F>(f));
      ops_ = &HeapOps<Fn>::kOps;
    }
  }

  Task(Task&& other) noexcept : ops_(other.ops_) {
    if (ops_) ops_->move(&other.storage_, &storage_);
    other.ops_ = nullptr;
  }
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      Reset();
      ops_ = other.ops_;
      if (ops_) ops_->move(&other.storage_, &storage_);
      other.ops_ = nullptr;
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { Reset(); }

  // Move-assignment to a Task already known to be empty (moved from, or never set), which it
  // does not read: a queue reusing a slot it has not touched for a while then stores into it
  // without first waiting for the slot's cache line to load. REQUIRES: !*this.
  void AssignToEmpty(Task&& other) noexcept {
    ops_ = other.ops_;
    if (ops_) ops_->move(&other.storage_, &storage_);
    other.ops_ = nullptr;
  }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(&storage_); }

 private:
  struct Ops {
    void (*call)(void*);
    void (*move)(void* from, void* to);  // move-constructs into `to`, destroys `from`
    void (*destroy)(void*);
  };
  template <typename Fn>
  struct InlineOps {
    static constexpr Ops kOps = {[](void* p) { (*static_cast<Fn*>(p))(); },
                                 [](void* from, void* to) {
                                   new (to) Fn(std::move(*static_cast<Fn*>(from)));
                                   static_cast<Fn*>(from)->~Fn();
                                 },
                                 [](void* p) { static_cast<Fn*>(p)->~Fn(); }};
  };
  template <typename Fn>
  struct HeapOps {
    static constexpr Ops kOps = {
        [](void* p) { (**static_cast<Fn**>(p))(); },
        [](void* from, void* to) { *static_cast<Fn**>(to) = *static_cast<Fn**>(from); },
        [](void* p) { delete *static_cast<Fn**>(p); }};
  };

  void Reset() {
    if (ops_) ops_->destroy(&storage_);
    ops_ = nullptr;
  }

  alignas(std::max_align_t) std::byte storage_[kInlineBytes];
  const Ops* ops_ = nullptr;
};

}  // namespace meshsim
