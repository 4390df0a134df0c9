// Overloaded{lambda, lambda, ...}: one visitor out of several lambdas, for std::visit.
#pragma once

namespace meshsim {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace meshsim
