// Objects kept for reuse: a taken box holds whatever its last use left (strings and vectors keep
// their capacity), so copying the next request into it allocates nothing once the pool is warm.
// The pool owns every box it ever made; a box given back is taken again before a new one is made.
#pragma once

#include <memory>
#include <vector>

namespace meshsim {

template <typename T>
class BoxPool {
 public:
  T* Take() {
    if (free_.empty()) {
      all_.push_back(std::make_unique<T>());
      return all_.back().get();
    }
    T* box = free_.back();
    free_.pop_back();
    return box;
  }
  // REQUIRES: `box` came from this pool's Take and is not given back twice.
  void Give(T* box) { free_.push_back(box); }

 private:
  std::vector<std::unique_ptr<T>> all_;
  std::vector<T*> free_;
};

}  // namespace meshsim
